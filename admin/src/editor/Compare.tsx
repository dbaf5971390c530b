/**
 * Two versions of an article side by side, field by field: headline and
 * standfirst in full, the text as a paragraph diff (<del>/<ins> with words for
 * screen readers), and the names of any other fields that differ.
 */
import type { ArticleFields } from '../types';
import { lineDiff } from './diff';
import { bodyParagraphs, FIELD_KEYS, FIELD_NAMES, sameValue } from './fields';

interface Props {
  mine: ArticleFields;
  theirs: ArticleFields;
  mineLabel: string;
  theirsLabel: string;
}

export function Compare({ mine, theirs, mineLabel, theirsLabel }: Props) {
  const diff = lineDiff(bodyParagraphs(theirs.body), bodyParagraphs(mine.body));
  const others = FIELD_KEYS.filter((k) => !['headline', 'dek', 'body'].includes(k) && !sameValue(mine[k], theirs[k]));
  return (
    <div className="compare">
      <TextRow name="Headline" mine={mine.headline} theirs={theirs.headline} mineLabel={mineLabel} theirsLabel={theirsLabel} />
      <TextRow name="Standfirst" mine={mine.dek} theirs={theirs.dek} mineLabel={mineLabel} theirsLabel={theirsLabel} />
      <h3>Article text</h3>
      {diff.every((l) => l.op === 'same') ? (
        <p>The text is the same in both.</p>
      ) : (
        <>
          <p className="hint">
            Paragraphs marked “only in {mineLabel.toLowerCase()}” are underlined; paragraphs “only in {theirsLabel.toLowerCase()}” are struck through.
          </p>
          <ol className="compare-lines">
            {diff.map((line, i) =>
              line.op === 'same' ? (
                <li key={i}>{line.text}</li>
              ) : line.op === 'added' ? (
                <li key={i} className="compare-added">
                  <ins>
                    <span className="compare-tag">Only in {mineLabel.toLowerCase()}: </span>
                    {line.text}
                  </ins>
                </li>
              ) : (
                <li key={i} className="compare-removed">
                  <del>
                    <span className="compare-tag">Only in {theirsLabel.toLowerCase()}: </span>
                    {line.text}
                  </del>
                </li>
              ),
            )}
          </ol>
        </>
      )}
      <h3>Other fields</h3>
      <p>{others.length ? `These also differ: ${others.map((k) => FIELD_NAMES[k]).join(', ')}.` : 'No other field differs.'}</p>
    </div>
  );
}

function TextRow({ name, mine, theirs, mineLabel, theirsLabel }: { name: string; mine: string; theirs: string; mineLabel: string; theirsLabel: string }) {
  return (
    <>
      <h3>{name}</h3>
      {mine === theirs ? (
        <p>
          Same in both: <q>{mine || '(empty)'}</q>
        </p>
      ) : (
        <dl className="compare-pair">
          <dt>{mineLabel}</dt>
          <dd>{mine || '(empty)'}</dd>
          <dt>{theirsLabel}</dt>
          <dd>{theirs || '(empty)'}</dd>
        </dl>
      )}
    </>
  );
}
