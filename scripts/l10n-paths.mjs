// Where package.json holds text that VS Code shows to the user, and the package.nls.json key each
// such string gets. Shared by scripts/l10n-nls.mjs (which converts) and the l10n unit test (which checks).

const SCHEMA_TEXT = ['title', 'description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage'];
const SCHEMA_TEXT_LISTS = ['enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels'];

const strip = (id) => String(id).replace(/^pairwise\./, '');

/**
 * Every localizable string of a parsed package.json: `{ key, value, set(newValue) }`, where `key` is
 * the package.nls.json key the string gets (or has, when it already is "%key%").
 */
export function localizableStrings(pkg) {
  const out = [];
  const add = (obj, prop, key) => {
    if (obj && typeof obj[prop] === 'string') out.push({ key, value: obj[prop], set: (v) => (obj[prop] = v) });
  };
  add(pkg, 'displayName', 'pairwise.displayName');
  add(pkg, 'description', 'pairwise.description');
  add(pkg.capabilities?.untrustedWorkspaces, 'description', 'pairwise.capabilities.untrustedWorkspaces.description');
  add(pkg.capabilities?.virtualWorkspaces, 'description', 'pairwise.capabilities.virtualWorkspaces.description');

  const c = pkg.contributes ?? {};
  for (const cmd of c.commands ?? []) {
    const id = strip(cmd.command);
    add(cmd, 'title', `pairwise.command.${id}.title`);
    add(cmd, 'shortTitle', `pairwise.command.${id}.shortTitle`);
    // One key for the shared category; another category gets its own.
    add(cmd, 'category', cmd.category === 'Pairwise' ? 'pairwise.command.category' : `pairwise.command.${id}.category`);
  }
  for (const conf of Array.isArray(c.configuration) ? c.configuration : [c.configuration].filter(Boolean)) {
    add(conf, 'title', 'pairwise.config.title');
    for (const [name, schema] of Object.entries(conf.properties ?? {})) schemaStrings(schema, `pairwise.config.${strip(name)}`, add);
  }
  for (const ed of c.customEditors ?? []) add(ed, 'displayName', `pairwise.customEditor.${strip(ed.viewType)}.displayName`);
  for (const [where, list] of Object.entries(c.viewsContainers ?? {})) {
    for (const vc of list) add(vc, 'title', `pairwise.viewsContainer.${where}.${strip(vc.id)}.title`);
  }
  for (const list of Object.values(c.views ?? {})) {
    for (const v of list) {
      add(v, 'name', `pairwise.view.${strip(v.id)}.name`);
      add(v, 'contextualTitle', `pairwise.view.${strip(v.id)}.contextualTitle`);
    }
  }
  for (const vw of c.viewsWelcome ?? []) add(vw, 'contents', `pairwise.viewsWelcome.${strip(vw.view)}.contents`);
  for (const sm of c.submenus ?? []) add(sm, 'label', `pairwise.submenu.${strip(sm.id)}.label`);
  for (const wt of c.walkthroughs ?? []) {
    const w = `pairwise.walkthrough.${strip(wt.id)}`;
    add(wt, 'title', `${w}.title`);
    add(wt, 'description', `${w}.description`);
    for (const st of wt.steps ?? []) {
      const s = `${w}.step.${strip(st.id)}`;
      add(st, 'title', `${s}.title`);
      add(st, 'description', `${s}.description`);
      add(st.media, 'altText', `${s}.altText`);
    }
  }
  for (const tk of c.taskDefinitions ?? []) {
    for (const [name, schema] of Object.entries(tk.properties ?? {})) schemaStrings(schema, `pairwise.task.${strip(tk.type)}.${name}`, add);
  }
  return out;
}

/** Texts of a JSON schema (a setting and its nested items/properties); enum descriptions keyed by enum value. */
function schemaStrings(schema, key, add) {
  if (!schema || typeof schema !== 'object') return;
  for (const p of SCHEMA_TEXT) add(schema, p, `${key}.${p}`);
  for (const p of SCHEMA_TEXT_LISTS) {
    const list = schema[p];
    if (!Array.isArray(list)) continue;
    list.forEach((_, i) => add(list, i, `${key}.${p}.${Array.isArray(schema.enum) && schema.enum[i] != null ? schema.enum[i] : i}`));
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) schemaStrings(sub, `${key}.${name}`, add);
  if (schema.items && !Array.isArray(schema.items)) schemaStrings(schema.items, `${key}.items`, add);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    schemaStrings(schema.additionalProperties, `${key}.additionalProperties`, add);
  }
  for (const snip of schema.defaultSnippets ?? []) add(snip, 'description', `${key}.snippet.${snip.label}.description`);
}
