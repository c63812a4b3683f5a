import { describe, expect, test } from '@jest/globals';
import { HeraldNetworkError, HeraldProblem } from '@herald/client';
import { fieldOfPointer, isUnauthorized, placeInField, problemView } from '../src/lib/problems';

const FIELDS = ['url', 'email', 'eventTypes', 'since'];

describe('problem → fields', () => {
  test.each([
    ['/body/url', 'url'],
    ['/body/eventTypes/1', 'eventTypes'],
    ['/queryStringParameters/since', 'since'],
    ['/body', undefined],
    ['/body/rateLimit', undefined],
    ['/headers/url', undefined],
    ['', undefined],
  ])('%s → %s', (pointer, field) => {
    expect(fieldOfPointer(pointer, FIELDS)).toBe(field);
  });

  test('a message about a place inside a field names that place; an item of a list does not', () => {
    expect(placeInField('/body/filter/data/total/0')).toBe('data/total/0');
    expect(placeInField('/body/headers/x-team')).toBe('x-team');
    expect(placeInField('/body/headers/a~1b')).toBe('a/b');
    expect(placeInField('/body/eventTypes/1')).toBeUndefined();
    expect(placeInField('/body/filter')).toBeUndefined();
    const view = problemView(
      new HeraldProblem({
        type: 'https://herald.dev/problems/validation-failed',
        title: 'Unprocessable Content',
        status: 422,
        errors: [
          { pointer: '/body/filter/data/total/0', message: 'numeric needs an operator and a number' },
          { pointer: '/body/headers/host', message: 'is set by Herald' },
        ],
      }),
      ['filter', 'headers'],
    );
    expect(view.fields).toEqual({
      filter: ['data/total/0: numeric needs an operator and a number'],
      headers: ['host: is set by Herald'],
    });
  });

  test("a member of an object shown as fields of its own goes to its field, else to the object's", () => {
    const fields = ['destination/arn', 'destination/roleArn', 'headers'];
    expect(fieldOfPointer('/body/destination/roleArn', fields)).toBe('destination/roleArn');
    expect(fieldOfPointer('/body/destination/arn', fields)).toBe('destination/arn');
    expect(fieldOfPointer('/body/destination', fields)).toBeUndefined();
    expect(fieldOfPointer('/body/headers/x-team', fields)).toBe('headers');
  });

  test('unescapes ~1 and ~0 in pointer segments', () => {
    expect(fieldOfPointer('/body/a~1b', ['a/b'])).toBe('a/b');
    expect(fieldOfPointer('/body/a~0b', ['a~b'])).toBe('a~b');
  });

  test("a validation problem's messages go to their fields, the rest is listed", () => {
    const problem = new HeraldProblem(
      {
        type: 'https://herald.dev/problems/validation-failed',
        title: 'Unprocessable Content',
        status: 422,
        detail: 'The request breaks the schema in 3 place(s)',
        errors: [
          { pointer: '/body/url', message: 'must be an https URL' },
          { pointer: '/body/eventTypes/0', message: 'must match pattern' },
          { pointer: '/body', message: "must have required property 'eventTypes'" },
        ],
      },
      new Headers({ 'x-correlation-id': 'c-1' }),
    );
    expect(problemView(problem, FIELDS)).toEqual({
      title: 'Unprocessable Content',
      detail: 'The request breaks the schema in 3 place(s)',
      status: 422,
      correlationId: 'c-1',
      fields: { url: ['must be an https URL'], eventTypes: ['must match pattern'] },
      unplaced: [{ pointer: '/body', message: "must have required property 'eventTypes'" }],
    });
  });

  test('a 403 shows its title and detail', () => {
    const view = problemView(
      new HeraldProblem({
        type: 'https://herald.dev/problems/insufficient-scope',
        title: 'Forbidden',
        status: 403,
        detail: 'The access token lacks a required scope',
      }),
    );
    expect(view).toMatchObject({
      title: 'Forbidden',
      status: 403,
      detail: 'The access token lacks a required scope',
    });
    expect(isUnauthorized(view)).toBe(false);
  });

  test('a 401 ends the session; other errors do not', () => {
    expect(
      isUnauthorized(new HeraldProblem({ type: 'about:blank', title: 'Unauthorized', status: 401 })),
    ).toBe(true);
    expect(isUnauthorized(new HeraldProblem({ type: 'about:blank', title: 'Forbidden', status: 403 }))).toBe(
      false,
    );
    expect(isUnauthorized(new Error('x'))).toBe(false);
  });

  test('no answer and other errors have views of their own', () => {
    expect(
      problemView(new HeraldNetworkError('GET', '/v1/events', new TypeError('fetch failed'))).title,
    ).toBe('The API could not be reached');
    expect(problemView(new Error('boom'))).toMatchObject({ title: 'Something went wrong', detail: 'boom' });
  });
});
