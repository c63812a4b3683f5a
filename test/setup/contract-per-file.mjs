// Runs before each contract test file. Every test makes its own table or queue in an emulator, and the
// first call of a file loads the AWS SDK: on a loaded 2-core machine that takes more than Jest's 5 s.
import { jest } from '@jest/globals';

jest.setTimeout(30_000);
