import * as assert from 'node:assert/strict';
import { escapeMarkdown, recordHoverMarkdown } from '../../../src/core/preview/recordHover';

const words = { label: 'test tokens (one per word)', count: (t: string) => t.split(/\s+/).filter(Boolean).length };

describe('record hover', () => {
  it('counts prompt and response tokens and lists the turns', () => {
    const md = recordHoverMarkdown({ type: 'sft', system: 'Be brief', messages: [{ role: 'user', content: 'What is two plus two' }, { role: 'assistant', content: 'Four' }] }, 4, 'ShareGPT', words);
    assert.match(md, /\*\*Record 5\*\*/);
    assert.match(md, /prompt \*\*7\*\* · response \*\*1\*\* · total \*\*8\*\*/);
    assert.match(md, /_test tokens \\\(one per word\\\)_/);
    assert.ok(md.includes('**assistant**\n\nFour'));
  });

  it('counts chosen and rejected separately for preference records', () => {
    const md = recordHoverMarkdown({ type: 'preference', prompt: [{ role: 'user', content: 'a b' }], chosen: [{ role: 'assistant', content: 'c' }], rejected: [{ role: 'assistant', content: 'd e f' }] }, 0, 'DPO', words);
    assert.match(md, /prompt \*\*2\*\* · chosen \*\*1\*\* · rejected \*\*3\*\* · total \*\*6\*\*/);
  });

  it('escapes links, images, HTML and fences in dataset text, and cuts long turns', () => {
    const hostile = '[click](command:workbench.action.quit) ![x](http://e.vil/x.png) <img src=x onerror=alert(1)> ```js\nhttps://evil.example.com www.evil.com';
    const e = escapeMarkdown(hostile);
    assert.ok(!/\]\(/.test(e.replace(/\\\]\\\(/g, '')), 'no link syntax survives');
    assert.ok(!e.includes('<img'));
    assert.ok(!e.includes('```'));
    assert.ok(!e.includes('https://'), 'no bare autolink');
    assert.ok(!e.includes('www.evil.com'));
    const md = recordHoverMarkdown({ type: 'text', text: 'x'.repeat(1000) }, 0, 'TRL', words, { maxTurnChars: 100 });
    assert.match(md, /x{100} … \\\(900 more characters\\\)/);
  });
});
