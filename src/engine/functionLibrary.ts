/**
 * Scalar functions that take values and return a value, by lower-case name.
 * Each factory receives the compiled arguments once and returns the per-row
 * function.
 */
import type { KustoColumnType } from '../schema/tables';
import { convertInput } from './builder';
import { coerceToType } from './columns';
import type { Scope } from './context';
import { compareValues } from './operators';
import type { RowFunction } from './scalar';
import { compileRegex } from './strings';
import type { Node } from './syntax';
import { DATETIME_FUNCTIONS } from './timeFunctions';
import { parseDynamicText, textOf, valueToDynamic, valueToString, type Value } from './values';

export interface FunctionContext {
  readonly args: readonly RowFunction[];
  readonly types: readonly KustoColumnType[];
  /** The bound result type of the call. */
  readonly type: KustoColumnType;
  readonly node: Node;
  readonly scope: Scope;
}

export type FunctionFactory = (context: FunctionContext) => RowFunction;

/** Returns per-row readers that give each argument as text, the way tostring() would. */
function textArguments({ args, types }: FunctionContext): ((row: number) => string)[] {
  return args.map((arg, index) => {
    const type = types[index];
    return type === 'string' ? (arg as (row: number) => string) : (row: number) => valueToString(arg(row), type);
  });
}

function isEmptyValue(value: Value): boolean {
  return value === null || value === '';
}

function toDynamicValue(value: Value, type: KustoColumnType): unknown {
  return type === 'dynamic' ? value : valueToDynamic(value, type);
}

/** Converts any value to the given scalar type, as the to*() functions do. */
function convertTo(value: Value, from: KustoColumnType, to: KustoColumnType): Value {
  if (value === null) {
    return to === 'string' ? '' : null;
  }
  if (to === 'string') {
    return valueToString(value, from);
  }
  if (from === to) {
    return value;
  }
  if (to === 'dynamic') {
    return from === 'string' ? (parseDynamicText(value as string) as Value) : (toDynamicValue(value, from) as Value);
  }
  if (typeof value === 'boolean') {
    return to === 'bool' ? value : to === 'datetime' || to === 'timespan' ? null : Number(value);
  }
  if (typeof value === 'number') {
    if (to === 'bool') {
      return value !== 0;
    }
    return coerceToType(value, to);
  }
  if (typeof value === 'string') {
    return convertInput(value, to);
  }
  return null;
}

const conversion =
  (to: KustoColumnType): FunctionFactory =>
  ({ args, types }) => {
    const read = args[0];
    const from = types[0];
    return (row) => convertTo(read(row), from, to);
  };

function setOf(value: Value): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function dynamicKey(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

const GENERAL_FUNCTIONS: Record<string, FunctionFactory> = {
  isempty: ({ args }) => (row) => isEmptyValue(args[0](row)),
  isnotempty: ({ args }) => (row) => !isEmptyValue(args[0](row)),
  isnull: ({ args }) => (row) => args[0](row) === null,
  isnotnull: ({ args }) => (row) => args[0](row) !== null,
  not: ({ args }) => (row) => {
    const value = args[0](row);
    return value === null ? null : !value;
  },
  iff: ({ args }) => (row) => (args[0](row) === true ? args[1](row) : args[2](row)),
  iif: ({ args }) => (row) => (args[0](row) === true ? args[1](row) : args[2](row)),
  case: ({ args }) => (row) => {
    for (let index = 0; index + 1 < args.length; index += 2) {
      if (args[index](row) === true) {
        return args[index + 1](row);
      }
    }
    return args[args.length - 1](row);
  },
  coalesce: ({ args, type }) => (row) => {
    for (const arg of args) {
      const value = arg(row);
      if (value !== null && !(type === 'string' && value === '')) {
        return value;
      }
    }
    return type === 'string' ? '' : null;
  },
  tostring: conversion('string'),
  toint: conversion('int'),
  tolong: conversion('long'),
  todouble: conversion('real'),
  toreal: conversion('real'),
  tobool: conversion('bool'),
  toboolean: conversion('bool'),
  todatetime: conversion('datetime'),
  totimespan: conversion('timespan'),
  toguid: conversion('guid'),
  todynamic: conversion('dynamic'),
  toobject: conversion('dynamic'),
  parse_json: conversion('dynamic'),
  strcat: (context) => {
    const texts = textArguments(context);
    return (row) => {
      let result = '';
      for (const text of texts) {
        result += text(row);
      }
      return result;
    };
  },
  strcat_delim: (context) => {
    const [delimiter, ...texts] = textArguments(context);
    return (row) => texts.map((text) => text(row)).join(delimiter(row));
  },
  strlen: (context) => {
    const [text] = textArguments(context);
    return (row) => text(row).length;
  },
  tolower: (context) => {
    const [text] = textArguments(context);
    return (row) => text(row).toLowerCase();
  },
  toupper: (context) => {
    const [text] = textArguments(context);
    return (row) => text(row).toUpperCase();
  },
  substring: (context) => {
    const [text] = textArguments(context);
    const { args } = context;
    return (row) => {
      const source = text(row);
      const start = Math.max(0, Number(args[1](row)));
      const length = args[2] ? Number(args[2](row)) : source.length;
      return source.substr(start, Math.max(0, length));
    };
  },
  indexof: (context) => {
    const [text, lookup] = textArguments(context);
    const { args } = context;
    return (row) => {
      const start = args[2] ? Number(args[2](row)) : 0;
      return text(row).indexOf(lookup(row), start);
    };
  },
  trim: (context) => trimmer(context, true, true),
  trim_start: (context) => trimmer(context, true, false),
  trim_end: (context) => trimmer(context, false, true),
  replace_string: (context) => {
    const [text, lookup, replacement] = textArguments(context);
    return (row) => {
      const needle = lookup(row);
      return needle === '' ? text(row) : text(row).split(needle).join(replacement(row));
    };
  },
  split: (context) => {
    const [text, delimiter] = textArguments(context);
    const { args } = context;
    return (row) => {
      const parts = text(row).split(delimiter(row));
      if (!args[2]) {
        return parts;
      }
      const index = Number(args[2](row));
      return index >= 0 && index < parts.length ? [parts[index]] : [];
    };
  },
  extract: (context) => {
    const { args, node, scope, type } = context;
    const [, , text] = textArguments(context);
    const regex = compileRegex(textOf(args[0](0)), node, scope);
    return (row) => {
      const match = regex.exec(text(row));
      const group = Number(args[1](row));
      const captured = match ? match[group] : undefined;
      if (captured === undefined) {
        return type === 'string' ? '' : null;
      }
      return type === 'string' ? captured : convertInput(captured, type);
    };
  },
  array_length: ({ args }) => (row) => {
    const value = args[0](row);
    return Array.isArray(value) ? value.length : null;
  },
  bag_keys: ({ args }) => (row) => {
    const value = args[0](row);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : null;
  },
  bag_pack: bagPack,
  pack: bagPack,
  pack_array: ({ args, types }) => (row) => args.map((arg, index) => toDynamicValue(arg(row), types[index])),
  set_has_element: ({ args, types }) => (row) => {
    const wanted = dynamicKey(toDynamicValue(args[1](row), types[1]));
    return setOf(args[0](row)).some((element) => dynamicKey(element) === wanted);
  },
  array_index_of: ({ args, types }) => (row) => {
    const wanted = dynamicKey(toDynamicValue(args[1](row), types[1]));
    return setOf(args[0](row)).findIndex((element) => dynamicKey(element) === wanted);
  },
  set_difference: ({ args }) => (row) => {
    const removed = new Set(args.slice(1).flatMap((arg) => setOf(arg(row)).map(dynamicKey)));
    return distinctElements(setOf(args[0](row)).filter((element) => !removed.has(dynamicKey(element))));
  },
  set_union: ({ args }) => (row) => distinctElements(args.flatMap((arg) => setOf(arg(row)))),
  set_intersect: ({ args }) => (row) => {
    const [first, ...rest] = args.map((arg) => setOf(arg(row)));
    const others = rest.map((set) => new Set(set.map(dynamicKey)));
    return distinctElements(first.filter((element) => others.every((other) => other.has(dynamicKey(element)))));
  },
  array_concat: ({ args }) => (row) => args.flatMap((arg) => setOf(arg(row))),
  abs: ({ args }) => (row) => {
    const value = args[0](row);
    return typeof value === 'number' ? Math.abs(value) : null;
  },
  round: ({ args }) => (row) => {
    const value = args[0](row);
    const digits = args[1] ? Number(args[1](row)) : 0;
    return typeof value === 'number' ? Math.round(value * 10 ** digits) / 10 ** digits : null;
  },
  max_of: ({ args }) => (row) => extremeOf(args, row, 1),
  min_of: ({ args }) => (row) => extremeOf(args, row, -1),
  ipv4_is_private: ({ args }) => (row) => {
    const address = ipv4Number(textOf(args[0](row)));
    if (address === null) {
      return null;
    }
    return inRange(address, 0x0a000000, 8) || inRange(address, 0xac100000, 12) || inRange(address, 0xc0a80000, 16);
  },
  ipv4_is_in_range: ({ args }) => (row) => {
    const address = ipv4Number(textOf(args[0](row)));
    const [base, bits = '32'] = textOf(args[1](row)).split('/');
    const network = ipv4Number(base);
    return address === null || network === null ? null : inRange(address, network, Number(bits));
  },
  ...DATETIME_FUNCTIONS,
};

function trimmer(context: FunctionContext, start: boolean, end: boolean): RowFunction {
  const { args, node, scope } = context;
  const [, text] = textArguments(context);
  const pattern = textOf(args[0](0));
  const leading = compileRegex(`^(?:${pattern})+`, node, scope);
  const trailing = compileRegex(`(?:${pattern})+$`, node, scope);
  return (row) => {
    let result = text(row);
    if (start) {
      result = result.replace(leading, '');
    }
    if (end) {
      result = result.replace(trailing, '');
    }
    return result;
  };
}

function bagPack({ args, types }: FunctionContext): RowFunction {
  return (row) => {
    const bag: Record<string, unknown> = {};
    for (let index = 0; index + 1 < args.length; index += 2) {
      bag[valueToString(args[index](row), types[index])] = toDynamicValue(args[index + 1](row), types[index + 1]);
    }
    return bag;
  };
}

function distinctElements(elements: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const result: unknown[] = [];
  for (const element of elements) {
    const key = dynamicKey(element);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(element);
    }
  }
  return result;
}

function extremeOf(args: readonly RowFunction[], row: number, direction: number): Value {
  let best: Value = null;
  for (const arg of args) {
    const value = arg(row);
    if (value !== null && (best === null || compareValues(value, best) * direction > 0)) {
      best = value;
    }
  }
  return best;
}

function ipv4Number(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    return null;
  }
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

function inRange(address: number, network: number, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(network / size);
}

export const SCALAR_FUNCTIONS: Readonly<Record<string, FunctionFactory>> = GENERAL_FUNCTIONS;
