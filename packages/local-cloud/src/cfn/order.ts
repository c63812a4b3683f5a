/**
 * The order CloudFormation creates a template's resources in: a resource comes after everything it
 * names in DependsOn and everything its properties refer to (Ref, Fn::GetAtt, and the variables of
 * Fn::Sub). Among resources that are ready at the same time, template order decides, so the result
 * is the same on every run.
 */
import { childPath, isRecord, TemplateError, type Template } from './template';

/** Logical ids of this template's resources that `value` refers to. */
export function referencedResources(
  value: unknown,
  template: Template,
  found = new Set<string>(),
): Set<string> {
  const note = (name: unknown) => {
    if (typeof name === 'string' && template.Resources[name]) found.add(name);
  };
  if (Array.isArray(value)) {
    for (const item of value) referencedResources(item, template, found);
    return found;
  }
  if (!isRecord(value)) return found;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') note(value.Ref);
  else if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    const arg = value['Fn::GetAtt'];
    if (typeof arg === 'string') note(arg.split('.')[0]);
    else if (Array.isArray(arg)) {
      note(arg[0]);
      referencedResources(arg.slice(1), template, found);
    }
  } else if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const arg = value['Fn::Sub'];
    const [text, variables] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    const own = isRecord(variables) ? new Set(Object.keys(variables)) : new Set<string>();
    if (typeof text === 'string')
      for (const [, name] of text.matchAll(/\$\{([^}]*)\}/g))
        if (name && !name.startsWith('!') && !own.has(name)) note(name.split('.')[0]);
    referencedResources(variables, template, found);
  } else for (const item of Object.values(value)) referencedResources(item, template, found);
  return found;
}

/** What a resource must wait for: its DependsOn and the resources its properties refer to. */
export function resourceDependencies(template: Template, logicalId: string): Set<string> {
  const resource = template.Resources[logicalId];
  if (!resource) throw new TemplateError('Resources', `unknown resource ${logicalId}`);
  const dependencies = referencedResources(resource.Properties ?? {}, template);
  const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
  dependsOn.forEach((name, index) => {
    const base = `Resources.${logicalId}.DependsOn`;
    const path = Array.isArray(resource.DependsOn) ? childPath(base, index) : base;
    if (typeof name !== 'string' || !template.Resources[name])
      throw new TemplateError(path, `DependsOn names unknown resource ${String(name)}`);
    dependencies.add(name);
  });
  return dependencies;
}

/** Every resource, each after all it depends on; a dependency cycle is an error naming the cycle. */
export function creationOrder(template: Template): string[] {
  const ids = Object.keys(template.Resources);
  const waitingFor = new Map(ids.map((id) => [id, resourceDependencies(template, id)]));
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < ids.length) {
    const next = ids.find(
      (id) => !placed.has(id) && [...waitingFor.get(id)!].every((dep) => placed.has(dep)),
    );
    if (next === undefined)
      throw new TemplateError(
        'Resources',
        `circular dependency: ${findCycle(waitingFor, placed).join(' -> ')}`,
      );
    order.push(next);
    placed.add(next);
  }
  return order;
}

function findCycle(waitingFor: Map<string, Set<string>>, placed: Set<string>): string[] {
  // Every unplaced resource waits on another unplaced one, so walking dependencies must revisit one.
  const start = [...waitingFor.keys()].find((id) => !placed.has(id))!;
  const path: string[] = [];
  let current = start;
  while (!path.includes(current)) {
    path.push(current);
    current = [...waitingFor.get(current)!].find((dep) => !placed.has(dep))!;
  }
  return [...path.slice(path.indexOf(current)), current];
}
