/**
 * The input box options of one hunt parameter prompt. Pure (the vscode import
 * is types only), so it is unit-tested without VS Code.
 */
import type { InputBoxOptions, QuickPickOptions } from 'vscode';
import { parameterLiteral } from '../../hunts/render';
import type { Hunt, HuntParameter } from '../../hunts/types';

/**
 * Options of the prompt for the parameter at `index`. The prompts stay open
 * when focus moves, because a command started from the walkthrough returns
 * focus to the walkthrough page after each answer, which would otherwise
 * close the next prompt and drop the hunt.
 */
export function parameterPrompt(hunt: Hunt, index: number): InputBoxOptions {
  const parameter = hunt.parameters[index];
  if (!parameter) {
    throw new RangeError(`Hunt ${hunt.id} has no parameter ${index + 1}; it has ${hunt.parameters.length}.`);
  }
  return {
    title: `${hunt.title} (${index + 1}/${hunt.parameters.length})`,
    prompt: `${parameter.name}: ${parameter.description}`,
    value: String(parameter.default),
    ignoreFocusOut: true,
    validateInput: (value) => validateParameter(parameter, value),
  };
}

/** Options of the hunt quick pick, which stays open when focus moves for the same reason as the prompts. */
export function huntPickOptions(title: string, placeHolder: string): QuickPickOptions {
  return { title, placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true };
}

/** Returns the message for an invalid value, or undefined when the value is valid. */
export function validateParameter(parameter: HuntParameter, value: string): string | undefined {
  try {
    parameterLiteral(parameter, value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
