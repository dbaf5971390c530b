/**
 * Alert topics a reader can choose: breaking news, and each section of the
 * site ("section:<id>": ids, not slugs, so a renamed section keeps its readers).
 */
export const BREAKING_TOPIC = 'breaking';
const SECTION_TOPIC = /^section:([1-9]\d{0,9})$/;

export interface TopicChoice {
  topic: string;
  label: string;
}

export function sectionTopic(sectionId: number): string {
  return `section:${sectionId}`;
}

export function sectionIdOf(topic: string): number | undefined {
  const match = SECTION_TOPIC.exec(topic);
  return match ? Number(match[1]) : undefined;
}

/** The choices shown to readers and editors, breaking news first. */
export function topicChoices(sections: readonly { id: number; name: string }[]): TopicChoice[] {
  return [{ topic: BREAKING_TOPIC, label: 'Breaking news' }, ...sections.map((s) => ({ topic: sectionTopic(s.id), label: s.name }))];
}

/** The Topic header for push services: base64url characters only, at most 32 (RFC 8030 section 5.4). */
export function pushTopicHeader(topic: string): string {
  return topic.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 32);
}
