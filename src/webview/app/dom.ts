/**
 * DOM helpers for the results webview. Text always goes in through
 * textContent or attribute values, never through HTML parsing, because every
 * cell, column name and error message is attacker-controlled log data.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  attributes?: Record<string, string>;
}

/** Creates an element with a class, text content and attributes. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, children: Node[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) {
    node.className = options.className;
  }
  if (options.text !== undefined) {
    node.textContent = options.text;
  }
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

export function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const node = element('button', { text: label, attributes: { type: 'button', title } });
  node.addEventListener('click', onClick);
  return node;
}

/** Removes every child of a node. */
export function clear(node: Node): void {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
}
