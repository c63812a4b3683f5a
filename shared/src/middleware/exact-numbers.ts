import { findInexactNumbers, inexactNumberMessage } from '../contracts/i-json';
import { HttpProblem, problemType } from '../problem';

/**
 * The 422 refusing (and naming each of) the numbers a double cannot hold exactly in a JSON text:
 * integers beyond ±(2^53−1), numbers that overflow or underflow. JSON.parse rounds them silently,
 * so they are found on the raw text (I-JSON, RFC 7493). Undefined when there are none.
 */
export function inexactNumbersProblem(text: string): HttpProblem | undefined {
  const found = findInexactNumbers(text);
  if (found.length === 0) return undefined;
  return new HttpProblem(422, {
    type: problemType('validation-failed'),
    title: 'Unprocessable Content',
    detail:
      'Numbers must be ones a double holds exactly (I-JSON, RFC 7493): send larger integers, and numbers beyond a double, as strings',
    extra: {
      errors: found.map(({ path, reason }) => ({
        pointer: `/body${path}`,
        message: inexactNumberMessage(reason),
      })),
    },
  });
}
