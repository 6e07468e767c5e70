// Building DOM without HTML strings: every piece of span text reaches the page through textContent, and no
// element gets a style attribute (the CSP allows neither inline scripts nor inline styles).

type Child = Node | string | undefined | false;

export interface Props {
  className?: string;
  text?: string;
  /** Attributes, set with setAttribute (never `style`). */
  attrs?: Record<string, string>;
  title?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), props, children);
}

/** A custom element (the vscode-elements controls). */
export function custom(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  return fill(document.createElement(tag), props, children);
}

function fill<T extends HTMLElement>(node: T, props: Props, children: Child[]): T {
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) {
    if (c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

export function clear(node: Element): void {
  node.replaceChildren();
}

/** The value of a vscode-textfield / vscode-single-select / native input. */
export function valueOf(node: Element): string {
  return String((node as unknown as { value?: unknown }).value ?? '');
}

export function setValue(node: Element, value: string): void {
  (node as unknown as { value: string }).value = value;
}

/**
 * Text that may wrap after the separators of dotted names (`http.request_content_length`), never inside a word:
 * text nodes with <wbr> between them, so copying the text gives it back unchanged.
 */
export function breakable(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const part of text.split(/(?<=[._\-/:])/)) {
    if (fragment.childNodes.length > 0) fragment.append(document.createElement('wbr'));
    fragment.append(part);
  }
  return fragment;
}
