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

export function indexEventFields(event: unknown): EventFields {
  const fields = new Map<string, EventField[]>();
  let nextArrayId = 0;

  const visit = (node: unknown, path: readonly string[], membership: Membership): void => {
    if (Array.isArray(node)) {
      const arrayId = nextArrayId++;
      node.forEach((element, index) => visit(element, path, new Map(membership).set(arrayId, index)));
    } else if (isPlainObject(node)) {
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key], membership);
    } else if (isLeaf(node) && path.length > 0) {
      const key = pathKey(path);
      const list = fields.get(key) ?? [];
      list.push({ value: node, membership });
      fields.set(key, list);
    }
  };

  if (isPlainObject(event)) visit(event, [], NO_MEMBERSHIP);
  return fields;
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
