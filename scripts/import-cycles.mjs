#!/usr/bin/env node
// Import cycles in the sources (src/, webview-ui/), `import type` edges included: a type-only cycle
// is harmless at run time but means a type sits in the wrong file.
//   node scripts/import-cycles.mjs [--json] [--root DIR]   (DIR: another tree laid out the same way)
// Prints the strongly connected components of the file graph and of the folder graph (each
// src/core/<area> is one node, src/core/*.ts another, every other top folder one more) and exits
// 1 when either has a cycle. The unit test test/unit/layers/importCycles.test.ts runs it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOTS = ['src', 'webview-ui'];

function sourceFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile() && /\.tsx?$/.test(c)) return c;
  }
  return undefined;
}

/** Every relative import of every source file: import, import type, export … from, require, import(). */
export function importGraph(rootDir = root) {
  const files = ROOTS.flatMap((r) => (fs.existsSync(path.join(rootDir, r)) ? sourceFiles(path.join(rootDir, r)) : []));
  const graph = new Map();
  for (const f of files) {
    const info = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true);
    const targets = new Set();
    for (const imp of info.importedFiles) {
      const t = resolveImport(f, imp.fileName);
      if (t) targets.add(path.relative(rootDir, t).split(path.sep).join('/'));
    }
    graph.set(path.relative(rootDir, f).split(path.sep).join('/'), targets);
  }
  return graph;
}

/** The folder a file counts in: src/core/<area>, src/core (its top-level files), or the top folder. */
export function folderOf(file) {
  const parts = file.split('/');
  if (parts[0] === 'src' && parts[1] === 'core') return parts.length > 3 ? `src/core/${parts[2]}` : 'src/core';
  if (parts[0] === 'src') return `src/${parts[1]}`;
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Tarjan's strongly connected components with more than one node (or a self-loop). */
export function cycles(graph) {
  let index = 0;
  const idx = new Map(), low = new Map(), onStack = new Set(), stack = [], out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? new Set()).has(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function folderGraph(graph) {
  const g = new Map();
  for (const [f, ts_] of graph) {
    const a = folderOf(f);
    if (!g.has(a)) g.set(a, new Set());
    for (const t of ts_) { const b = folderOf(t); if (b !== a) g.get(a).add(b); }
  }
  return g;
}

/** For each folder cycle, the file edges that make it (a → b with a, b in the cycle). */
function folderEdges(graph, comp) {
  const inComp = new Set(comp);
  const edges = [];
  for (const [f, ts_] of graph) for (const t of ts_) {
    const a = folderOf(f), b = folderOf(t);
    if (a !== b && inComp.has(a) && inComp.has(b)) edges.push(`${f} -> ${t}`);
  }
  return edges;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root');
  const graph = importGraph(at > 0 ? path.resolve(process.argv[at + 1]) : root);
  const fileCycles = cycles(graph);
  const folderCycles = cycles(folderGraph(graph)).map((c) => ({ folders: c, edges: folderEdges(graph, c) }));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ files: graph.size, fileCycles, folderCycles }, null, 2));
  } else {
    console.log(`${graph.size} files; ${fileCycles.length} file cycle(s), ${folderCycles.length} folder cycle(s)`);
    for (const c of fileCycles) console.log(`file cycle: ${c.join(' <-> ')}`);
    for (const c of folderCycles) { console.log(`folder cycle: ${c.folders.join(' <-> ')}`); for (const e of c.edges) console.log(`  ${e}`); }
  }
  process.exitCode = fileCycles.length || folderCycles.length ? 1 : 0;
}
