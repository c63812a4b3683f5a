import { describe, expect, test } from '@jest/globals';
import { InvalidCursor } from '../src/cursor';
import { HttpProblem } from '../src/problem';
import { answering, Conflict, InvalidInput, NotFound } from '../src/refusals';

const refused = (error: unknown, own?: (error: unknown) => HttpProblem | undefined) =>
  answering(() => Promise.reject(error), own).catch((thrown: unknown) => thrown);

describe('answering', () => {
  test("answers what the logic's refusals are with their problems", async () => {
    const invalid = (await refused(
      new InvalidInput([{ pointer: '/body/name', message: 'is too long' }]),
    )) as HttpProblem;
    expect(invalid.toProblem()).toEqual({
      type: 'https://herald.dev/problems/validation-failed',
      title: 'Unprocessable Content',
      status: 422,
      detail: '/body/name is too long',
      errors: [{ pointer: '/body/name', message: 'is too long' }],
    });
    class NoSuchThing extends NotFound<'thing'> {}
    expect(((await refused(new NoSuchThing('thing'))) as HttpProblem).toProblem()).toMatchObject({
      type: 'https://herald.dev/problems/not-found',
      status: 404,
      detail: 'No such thing',
    });
    expect(
      ((await refused(new Conflict('paused', 'It is paused'))) as HttpProblem).toProblem(),
    ).toMatchObject({
      type: 'https://herald.dev/problems/paused',
      status: 409,
      detail: 'It is paused',
    });
    expect(((await refused(new InvalidCursor())) as HttpProblem).status).toBe(400);
  });

  test("a service's own refusals first; anything unknown is thrown again as it was", async () => {
    const own = (error: unknown) => (error instanceof Conflict ? new HttpProblem(423) : undefined);
    expect(((await refused(new Conflict('paused', 'It is paused'), own)) as HttpProblem).status).toBe(423);
    expect(((await refused(new NotFound('thing'), own)) as HttpProblem).status).toBe(404);
    const unknown = new Error('the table is gone');
    expect(await refused(unknown, own)).toBe(unknown);
    expect(await answering(async () => 'done')).toBe('done');
  });
});
