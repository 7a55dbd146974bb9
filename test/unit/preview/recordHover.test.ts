import * as assert from 'node:assert/strict';
import { escapeMarkdown, HOVER_COUNTED_CHARS, recordHoverMarkdown } from '../../../src/core/preview/recordHover';
import { createTokenCounter } from '../../../src/core/tokens/tokenCounter';

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

  it('tokenizes at most HOVER_COUNTED_CHARS characters of a 1 MB one-word record and estimates the rest', () => {
    const counter = createTokenCounter({ tokenizer: 'o200k_base' });
    let counted = 0;
    const observed = { label: 'o200k_base', count: (t: string) => ((counted += t.length), counter.count(t)) };
    const word = 'a'.repeat(1 << 20);
    const md = recordHoverMarkdown({ type: 'sft', messages: [{ role: 'user', content: 'Say it' }, { role: 'assistant', content: word }] }, 0, 'Alpaca', observed);
    assert.ok(counted <= HOVER_COUNTED_CHARS, `the hover tokenized ${counted} characters`);
    // A run of one letter has a steady tokens-per-character ratio: the estimate is within 0.1%.
    const exact = counter.count(word);
    const m = /^≈ prompt \*\*2\*\* · response \*\*(\d+)\*\* · total \*\*(\d+)\*\*$/m.exec(md);
    assert.ok(m, md.slice(0, 200));
    assert.ok(Math.abs(Number(m[1]) - exact) <= exact * 0.001, `${m[1]} estimated, ${exact} counted`);
    assert.equal(Number(m[2]), Number(m[1]) + 2);
    assert.match(md, new RegExp(`_Estimated\\\\: the first ${HOVER_COUNTED_CHARS} characters were counted`));
  });

  it('spends the counting budget across turns and estimates a turn past it from the ratio so far', () => {
    let counted = 0;
    const observed = { label: 'words', count: (t: string) => ((counted += t.length), words.count(t)) };
    const rec = { type: 'sft' as const, messages: [{ role: 'user' as const, content: 'aa bb cc dd' }, { role: 'assistant' as const, content: 'ee ff gg hh ii jj' }] };
    // 11 characters (4 words) fit; 3 more ("ee ", 1 word) are counted; the other 14 at 5/14 per character.
    const md = recordHoverMarkdown(rec, 0, 'ShareGPT', observed, { maxCountedChars: 14 });
    assert.equal(counted, 14);
    assert.match(md, /^≈ prompt \*\*4\*\* · response \*\*6\*\* · total \*\*10\*\*$/m);
    counted = 0;
    const exact = recordHoverMarkdown(rec, 0, 'ShareGPT', observed, { maxCountedChars: 28 });
    assert.equal(counted, 28);
    assert.match(exact, /^prompt \*\*4\*\* · response \*\*6\*\* · total \*\*10\*\*$/m);
    assert.ok(!exact.includes('Estimated'));
  });
});
