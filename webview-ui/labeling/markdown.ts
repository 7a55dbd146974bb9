/**
 * Markdown of model output and guidelines, made safe for the labeling webview: markdown-it with raw
 * HTML off (tags in the text stay text), then DOMPurify over its output, then a last pass that
 * drops images not inlined as data: URLs (no remote fetches) and turns links into inert elements
 * (no `href`, so neither the page nor VS Code's webview link handler navigates; the panel asks the
 * host to open http(s) links after a confirmation). Defence in depth: each layer alone would stop a
 * script, an event handler, a `javascript:` link or a style injection.
 */
import * as l10n from '@vscode/l10n';
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

const SAFE_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i;
const WEB_LINK = /^https?:\/\//i;

const PURIFY_CONFIG = {
  RETURN_DOM_FRAGMENT: true as const,
  FORBID_TAGS: ['style', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'video', 'audio', 'source', 'picture', 'template', 'dialog'],
  FORBID_ATTR: ['style', 'class', 'id', 'name', 'srcset', 'action', 'formaction', 'target', 'background', 'ping'],
  ALLOW_DATA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|data:image\/(?:png|jpeg|gif|webp);)/i,
};

/** Sanitized DOM of `markdown`, ready to append. */
export function renderMarkdown(markdown: string): DocumentFragment {
  const html = md.render(markdown);
  const frag = DOMPurify.sanitize(html, PURIFY_CONFIG) as DocumentFragment;
  for (const img of Array.from(frag.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (SAFE_IMAGE.test(src)) continue;
    const alt = img.getAttribute('alt');
    img.replaceWith(document.createTextNode(alt ? l10n.t('[image: {0}]', alt) : l10n.t('[image]')));
  }
  for (const a of Array.from(frag.querySelectorAll('a'))) {
    const href = a.getAttribute('href') ?? '';
    a.removeAttribute('href');
    if (WEB_LINK.test(href)) {
      a.setAttribute('data-href', href);
      a.setAttribute('title', href);
      a.setAttribute('role', 'link');
      a.setAttribute('tabindex', '0');
      a.className = 'ext-link';
    }
  }
  return frag;
}
