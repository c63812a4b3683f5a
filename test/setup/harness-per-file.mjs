// Runs before each file of the unit project. The local cloud's harness tests in it talk to emulators
// (DynamoDB Local is a JVM, its streams poll): on a loaded 2-core machine one test can take longer
// than Jest's 5 s without anything being wrong. A test that truly hangs still fails, at 30 s.
import { jest } from '@jest/globals';

jest.setTimeout(30_000);
