/** Tags: find, create and edit (name, slug, description). */
import { useMemo, useState } from 'react';
import { api } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { InlineEditTable } from '../manage/InlineEditTable';
import { NameSlugForm } from '../manage/NameSlugForm';
import { NoAccess } from '../manage/NoAccess';
import { StatusArea, useStatus } from '../manage/Status';
import { useSession } from '../session';
import type { Tag } from '../types';
import '../manage/manage.css';

const SLUG_HINT = 'The tag page’s address (/tag/climate). Lowercase letters, digits and hyphens; leave empty to make one from the name.';

export default function Tags() {
  const { can } = useSession();
  if (!can('tag.manage')) return <NoAccess title="Tags" />;
  return <TagsScreen />;
}

function TagsScreen() {
  useTitle('Tags');
  const list = useApi<{ items: Tag[] }>('/tags');
  const status = useStatus();
  const [search, setSearch] = useState('');
  const tags = useMemo(() => list.data?.items ?? [], [list.data]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return tags;
    return tags.filter((t) => t.name.toLowerCase().includes(q) || t.slug.includes(q) || t.description.toLowerCase().includes(q));
  }, [tags, search]);

  return (
    <div className="manage">
      <h1>Tags</h1>
      <StatusArea status={status} />
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.loading && !list.data ? <Loading what="Loading tags" /> : null}
      {list.data ? (
        <>
          <div className="toolbar">
            <TextField label="Find a tag" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
            <p className="hint" role="status" aria-live="polite">
              {search.trim() ? `${shown.length} of ${tags.length} tags match` : `${tags.length} tags`}
            </p>
          </div>
          <InlineEditTable
            items={shown}
            caption="Tags"
            kind="tag"
            slugHint={SLUG_HINT}
            empty={search.trim() ? 'No tag matches that search.' : 'No tags yet.'}
            onSave={async (tag, changes) => {
              const saved = await api.patch<Tag>(`/tags/${tag.id}`, changes);
              list.setData({ items: tags.map((t) => (t.id === saved.id ? saved : t)) });
              status.show(`Saved ${saved.name}.`);
            }}
          />
        </>
      ) : null}
      <section className="panel" aria-labelledby="new-tag">
        <h2 id="new-tag">New tag</h2>
        <NameSlugForm
          label="New tag"
          submitLabel="Create tag"
          slugHint={SLUG_HINT}
          onSave={async (changes) => {
            const created = await api.post<Tag>('/tags', changes);
            // The server answers with the existing tag when the slug is taken, rather than making a second one.
            if (tags.some((t) => t.id === created.id)) {
              status.show(`There is already a tag “${created.name}” (${created.slug}); nothing new was created.`);
              return;
            }
            list.setData({ items: [...tags, created].sort((a, b) => a.name.localeCompare(b.name)) });
            status.show(`Created the tag ${created.name}.`);
          }}
        />
      </section>
    </div>
  );
}
