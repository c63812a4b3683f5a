/** The Parameters section: the value each parameter takes, given or defaulted, checked against its declaration. */
import { TemplateError, type Template } from './template';

const isListType = (type: string) => type === 'CommaDelimitedList' || type.startsWith('List<');

export function parameterValues(
  template: Template,
  given: Record<string, string | string[]>,
): Map<string, string | string[]> {
  const declared = template.Parameters ?? {};
  for (const name of Object.keys(given))
    if (!(name in declared)) throw new TemplateError('Parameters', `${name} is not declared in the template`);
  const values = new Map<string, string | string[]>();
  for (const [name, parameter] of Object.entries(declared)) {
    const path = `Parameters.${name}`;
    if (parameter.Type.startsWith('AWS::SSM::'))
      throw new TemplateError(
        path,
        `${parameter.Type} parameters need SSM, which the local cloud does not have`,
      );
    const raw = given[name] ?? parameter.Default;
    if (raw === undefined) throw new TemplateError(path, 'no value was given and it has no Default');
    let value: string | string[];
    if (isListType(parameter.Type)) value = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
    else if (Array.isArray(raw))
      throw new TemplateError(path, `a ${parameter.Type} parameter takes one value`);
    else value = String(raw);
    if (parameter.AllowedValues && !isListType(parameter.Type)) {
      if (!parameter.AllowedValues.map(String).includes(value as string))
        throw new TemplateError(path, `${String(value)} is not one of its AllowedValues`);
    }
    values.set(name, value);
  }
  return values;
}
