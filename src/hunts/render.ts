import { kqlDatetime, kqlLong, kqlString, kqlTimespan, timespanDays } from './literals';
import type { Hunt, HuntParameter } from './types';

/** Parameter values keyed by parameter name; missing names take the hunt's defaults. */
export type ParameterValues = Record<string, string | number>;

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9_]*)\}\}/g;

/**
 * Formats one parameter value as a KQL literal of the parameter's declared
 * type. Throws a RangeError that names the parameter when the value is invalid.
 */
export function parameterLiteral(parameter: HuntParameter, value: string | number): string {
  try {
    return literalOf(parameter, value);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new RangeError(`Invalid value for parameter ${parameter.name}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** A decimal integer, as typed into a parameter box. */
const WHOLE_NUMBER_PATTERN = /^[+-]?\d+$/;

/** True when decimal integer text survives conversion to a JavaScript number unchanged. */
function isSafeWholeNumber(text: string): boolean {
  const value = BigInt(text.trim());
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return value <= limit && value >= -limit;
}

function literalOf(parameter: HuntParameter, value: string | number): string {
  switch (parameter.type) {
    case 'timespan': {
      // Lookbacks and windows of zero length match nothing.
      if (timespanDays(String(value)) <= 0) {
        throw new RangeError(`"${value}" is not longer than zero: enter a length such as 7d or 30m.`);
      }
      return kqlTimespan(String(value));
    }
    case 'long': {
      // Number("") is 0 and Number("0x10") is 16, so text is checked before it is converted.
      if (typeof value === 'string' && !WHOLE_NUMBER_PATTERN.test(value.trim())) {
        throw new RangeError(`"${value}" is not a whole number: enter an integer such as 10.`);
      }
      if (typeof value === 'string' && !isSafeWholeNumber(value)) {
        throw new RangeError(`"${value.trim()}" is out of range: enter a number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}.`);
      }
      const number = typeof value === 'number' ? value : Number(value.trim());
      const literal = kqlLong(number);
      if (parameter.min !== undefined && number < parameter.min) {
        throw new RangeError(`${number} is below the minimum of ${parameter.min}.`);
      }
      if (parameter.max !== undefined && number > parameter.max) {
        throw new RangeError(`${number} is above the maximum of ${parameter.max}.`);
      }
      return literal;
    }
    case 'string':
      return kqlString(String(value));
    case 'datetime':
      return kqlDatetime(String(value));
  }
}

/**
 * Returns the hunt's KQL with every `{{name}}` replaced by a literal. Throws a
 * RangeError naming the parameter when a value is invalid or a placeholder has
 * no declared parameter.
 */
export function renderHunt(hunt: Hunt, values: ParameterValues = {}): string {
  const byName = new Map(hunt.parameters.map((p) => [p.name, p]));
  return hunt.query.replace(PLACEHOLDER, (_match, name: string) => {
    const parameter = byName.get(name);
    if (!parameter) {
      throw new RangeError(`Hunt ${hunt.id} uses {{${name}}}, which is not one of its parameters.`);
    }
    const value = values[name] ?? parameter.default;
    return parameterLiteral(parameter, value);
  });
}
