/** What the webview page shell takes from outside (src/extension/webviewPageText.ts): the l10n data block and the page language. */
import * as assert from 'node:assert/strict';
import { htmlLang, jsonForScriptBlock } from '../../../src/extension/webviewPageText';

describe('webview page text', () => {
  it('the l10n bundle cannot end its <script> data block, and parses back to the same value', () => {
    const bundle = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'A & B > C', d: 'line\u2028sep\u2029para', 'key</script>': 'v' };
    const text = jsonForScriptBlock(bundle);
    assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
    assert.doesNotMatch(text.toLowerCase(), /<\/script|<!--/);
    assert.deepEqual(JSON.parse(text), bundle);
  });

  it('leaves ordinary text as JSON.stringify writes it', () => {
    const bundle = { hello: '你好', quote: 'say "hi"', slash: 'a/b\\c' };
    assert.equal(jsonForScriptBlock(bundle), JSON.stringify(bundle));
  });

  it('the page language is a BCP 47 tag, and anything odd is English', () => {
    assert.equal(htmlLang('zh-cn'), 'zh-CN');
    assert.equal(htmlLang('en'), 'en');
    assert.equal(htmlLang('pt-br'), 'pt-BR');
    assert.equal(htmlLang('"><script>'), 'en');
    assert.equal(htmlLang(''), 'en');
  });
});
