/* Japanese query splitting (l3ha_guide.sphinxext.japanese_search): a query word is cut
   into runs of one script, the same runs the search index holds. Hiragana runs
   (particles, okurigana) and single characters are dropped, as the index drops them. */
const JA_SCRIPT_CLASSES = Object.entries(__SCRIPT_CLASSES__).map(([name, pattern]) => [
  name,
  new RegExp(pattern, "u"),
]);
const JA_SKIPPED_SCRIPT = __SKIPPED_SCRIPT__;

const jaScriptOf = (character) => {
  for (const [name, pattern] of JA_SCRIPT_CLASSES) if (pattern.test(character)) return name;
  return "other";
};

const jaScriptRuns = (word) => {
  const runs = [];
  for (const character of word) {
    const script = jaScriptOf(character);
    const last = runs[runs.length - 1];
    if (last && last[0] === script) last[1] += character;
    else runs.push([script, character]);
  }
  return runs;
};

/* Replaces the default splitQuery of searchtools.js, which loads before this file. */
var splitQuery = (query) => {
  const terms = [];
  for (const word of query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)) {
    if (!word) continue;
    const kept = jaScriptRuns(word)
      .filter(([script, run]) => script !== JA_SKIPPED_SCRIPT && run.length > 1)
      .map(([, run]) => run);
    terms.push(...(kept.length ? kept : [word]));
  }
  return terms;
};
