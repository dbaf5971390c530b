/**
 * Creating or editing a byline profile: name, address (slug, only when
 * creating: the API keeps it fixed afterwards), title, contact email, bio,
 * expertise (comma separated), profile links and photo.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { TextArea, TextField } from '../components/Field';
import { ErrorMessage } from '../components/Feedback';
import type { Author } from '../types';
import { AvatarField } from './AvatarField';
import { plainFieldMessage } from '../forms/errors';
import { rowsFromSocial, SocialLinks, socialFromRows, type LinkRow } from './SocialLinks';
import { useSubmit } from '../forms/useSubmit';

export function AuthorForm({ author, onSaved, onCancel }: { author?: Author; onSaved(author: Author): void; onCancel(): void }) {
  const [name, setName] = useState(author?.name ?? '');
  const [slug, setSlug] = useState(author?.slug ?? '');
  const [title, setTitle] = useState(author?.title ?? '');
  const [email, setEmail] = useState(author?.email ?? '');
  const [bio, setBio] = useState(author?.bio ?? '');
  const [expertise, setExpertise] = useState((author?.expertise ?? []).join(', '));
  const [links, setLinks] = useState<LinkRow[]>(() => rowsFromSocial(author?.social ?? {}));
  const [avatar, setAvatar] = useState<number | null>(author?.avatarMediaId ?? null);
  const submit = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    await submit.run(async () => {
      const social = socialFromRows(links);
      if (social instanceof Error) throw social;
      const body = {
        name,
        title,
        bio,
        expertise: expertise
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean),
        social,
        email: email.trim() || null,
        avatarMediaId: avatar,
      };
      const saved = author
        ? await api.patch<Author>(`/authors/${author.id}`, body)
        : await api.post<Author>('/authors', { ...body, ...(slug.trim() ? { slug: slug.trim() } : {}) });
      onSaved(saved);
    });
  };

  const err = submit.error;
  return (
    <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-label={author ? `Edit ${author.name}` : 'New author'}>
      <ErrorMessage error={err} />
      <div className="form-grid">
        <TextField label="Name" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} error={err?.field('/name')} />
        {author ? (
          <TextField label="Slug" value={slug} readOnly hint={`The profile page is /author/${author.slug}; it cannot change.`} />
        ) : (
          <TextField
            label="Slug"
            value={slug}
            maxLength={200}
            autoCapitalize="off"
            spellCheck={false}
            onChange={(e) => setSlug(e.target.value)}
            hint="The profile page’s address (/author/jane-doe). Leave empty to make one from the name; it cannot change later."
            error={err?.field('/slug')}
          />
        )}
        <TextField label="Title" hint="Shown with the byline, like “Health reporter”." maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} error={err?.field('/title')} />
        <TextField
          label="Email"
          type="email"
          hint="Shown to readers on the profile page. Optional."
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={plainFieldMessage(err?.field('/email'))}
        />
      </div>
      <TextArea label="Bio" rows={4} maxLength={2000} value={bio} onChange={(e) => setBio(e.target.value)} error={err?.field('/bio')} />
      <TextField
        label="Expertise"
        hint="Topics, separated by commas: “public health, hospitals”."
        value={expertise}
        onChange={(e) => setExpertise(e.target.value)}
        error={err?.field('/expertise')}
      />
      <SocialLinks rows={links} onChange={setLinks} error={err} />
      <AvatarField mediaId={avatar} authorName={name} onChange={setAvatar} error={err?.field('/avatarMediaId')} />
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : author ? 'Save author' : 'Create author'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
