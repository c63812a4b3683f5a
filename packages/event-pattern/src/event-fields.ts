// An event seen the way event-ruler sees it: a list of leaf values per field path. Arrays are "crushed out" of
// the path ("employees[1].firstName" is the path employees/firstName), and every leaf remembers which element
// of which array it came from so that one pattern match never combines fields from different elements of the
// same array (array consistency). Objects and empty arrays contribute no leaves: they are not values.

export type Leaf = string | number | boolean | null;

/** Array id (one per array node in the event) -> element index the leaf sits in. */
export type Membership = ReadonlyMap<number, number>;

export interface EventField {
  readonly value: Leaf;
  readonly membership: Membership;
}

/** Leaves of one event, keyed by pathKey(). */
export type EventFields = ReadonlyMap<string, readonly EventField[]>;

const NO_MEMBERSHIP: Membership = new Map();

/** A map key for a field path; JSON keeps ["a.b"] and ["a", "b"] apart, unlike a dotted name. */
export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The arrays (id and element index) around a node, innermost first: a leaf's membership, made when needed. */
interface Enclosing {
  readonly arrayId: number;
  readonly index: number;
  readonly outer: Enclosing | undefined;
}

/** The member names down to a node, last first: a leaf's path, made when needed. */
interface Steps {
  readonly key: string;
  readonly parent: Steps | undefined;
}

/**
 * Walks the event with a stack of its own, not by recursion, and builds a path and membership only
 * for the leaves: an event nested thousands deep (which a bus may be handed) is indexed, instead of
 * overflowing the call stack or copying its path and memberships at every level.
 */
export function indexEventFields(event: unknown): EventFields {
  const fields = new Map<string, EventField[]>();
  if (!isPlainObject(event)) return fields;
  let nextArrayId = 0;
  const stack: Array<{ node: unknown; steps: Steps | undefined; enclosing: Enclosing | undefined }> = [
    { node: event, steps: undefined, enclosing: undefined },
  ];
  while (stack.length > 0) {
    const { node, steps, enclosing } = stack.pop()!;
    if (Array.isArray(node)) {
      const arrayId = nextArrayId++;
      // Pushed last first, so elements are visited (and their leaves listed) in order.
      for (let index = node.length - 1; index >= 0; index--)
        stack.push({ node: node[index], steps, enclosing: { arrayId, index, outer: enclosing } });
    } else if (isPlainObject(node)) {
      const entries = Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push({ node: child, steps: { key, parent: steps }, enclosing });
      }
    } else if (isLeaf(node) && steps !== undefined) {
      const key = pathKey(pathOf(steps));
      const list = fields.get(key) ?? [];
      list.push({ value: node, membership: membershipOf(enclosing) });
      fields.set(key, list);
    }
  }
  return fields;
}

function pathOf(steps: Steps): string[] {
  const path: string[] = [];
  for (let step: Steps | undefined = steps; step; step = step.parent) path.push(step.key);
  return path.reverse();
}

function membershipOf(enclosing: Enclosing | undefined): Membership {
  if (enclosing === undefined) return NO_MEMBERSHIP;
  const membership = new Map<number, number>();
  for (let array: Enclosing | undefined = enclosing; array; array = array.outer)
    membership.set(array.arrayId, array.index);
  return membership;
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Both leaves can come from one choice of array elements (no shared array at different indices). */
export function consistent(a: Membership, b: Membership): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [arrayId, index] of small) {
    const other = large.get(arrayId);
    if (other !== undefined && other !== index) return false;
  }
  return true;
}

export function mergeMemberships(a: Membership, b: Membership): Membership | undefined {
  if (!consistent(a, b)) return undefined;
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  return new Map([...a, ...b]);
}
