/**
 * A ranked list of stories (the home page's top stories, a newsletter issue),
 * reordered by dragging (mouse, touch, or keyboard on the handle: Space to pick
 * up, arrows to move, Space to drop, Escape to cancel, each step announced) or
 * with the "Move up" / "Move down" / "Remove" buttons.
 */
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import type { ArticleStatus } from '../types';
import { StatusBadge } from './StatusBadge';

export interface RankedStory {
  id: number;
  headline: string;
  status: ArticleStatus;
  /** "World · Ana Ruiz" */
  detail: string;
  /** A small picture shown before the headline (decorative: the headline says what the story is). */
  thumbnail?: string;
}

/** Which control should have focus after a change re-renders the rows (moved rows lose focus in the DOM). */
export interface FocusRequest {
  id: number;
  control: 'up' | 'down' | 'remove' | 'handle';
}

function Row({
  story,
  index,
  count,
  onMove,
  onRemove,
  listName,
}: {
  story: RankedStory;
  index: number;
  count: number;
  onMove(from: number, to: number, control: FocusRequest['control']): void;
  onRemove(index: number): void;
  listName: string;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: story.id });
  const name = story.headline || 'Untitled';
  return (
    <li
      ref={setNodeRef}
      data-story={story.id}
      className={isDragging ? 'dragging' : undefined}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        className="handle"
        data-control="handle"
        {...attributes}
        {...listeners}
        aria-label={`Drag ${name} to a new position`}
      >
        <span aria-hidden="true">⠿</span>
      </button>
      <span className="rank" aria-hidden="true">
        {index + 1}
      </span>
      {story.thumbnail ? <img className="thumb" src={story.thumbnail} alt="" width={64} height={40} loading="lazy" /> : null}
      <span className="story">
        <span className="visually-hidden">Rank {index + 1}: </span>
        <Link to={`/articles/${story.id}`}>{name}</Link>
        <span className="sub">
          {story.status !== 'published' ? (
            <>
              <StatusBadge status={story.status} />: not on the site, so the home page skips it.{' '}
            </>
          ) : null}
          {story.detail}
        </span>
      </span>
      <span className="row-actions">
        <button type="button" data-control="up" disabled={index === 0} aria-label={`Move up: ${name}`} onClick={() => onMove(index, index - 1, 'up')}>
          Move up
        </button>
        <button type="button" data-control="down" disabled={index === count - 1} aria-label={`Move down: ${name}`} onClick={() => onMove(index, index + 1, 'down')}>
          Move down
        </button>
        <button type="button" data-control="remove" aria-label={`Remove ${name} from ${listName}`} onClick={() => onRemove(index)}>
          Remove
        </button>
      </span>
    </li>
  );
}

export function RankedList({
  stories,
  onChange,
  focus,
  onFocusDone,
  label = 'Top stories, rank 1 first',
  listName = 'the top stories',
}: {
  stories: RankedStory[];
  /** The new order, and a sentence saying what changed (for the status line). */
  onChange(next: RankedStory[], message: string, focus?: FocusRequest): void;
  focus?: FocusRequest;
  onFocusDone(): void;
  /** The list's accessible name. */
  label?: string;
  /** What the stories are in, for the Remove buttons and messages ("the top stories"). */
  listName?: string;
}) {
  const sensors = useSensors(
    // A few pixels of movement before a drag starts, so a click on the handle is still a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const list = useRef<HTMLOListElement>(null);
  const headline = (id: UniqueIdentifier) => stories.find((s) => s.id === id)?.headline || 'Untitled';
  const position = (id: UniqueIdentifier) => stories.findIndex((s) => s.id === id) + 1;

  useEffect(() => {
    if (!focus || !list.current) return;
    const row = list.current.querySelector<HTMLElement>(`[data-story="${focus.id}"]`);
    let target = row?.querySelector<HTMLButtonElement>(`[data-control="${focus.control}"]`);
    // At the top "Move up" is disabled: the other direction keeps the user in the row.
    if (target?.disabled) target = row?.querySelector<HTMLButtonElement>(`[data-control="${focus.control === 'up' ? 'down' : 'up'}"]`);
    if (target && !target.disabled) target.focus();
    onFocusDone();
  }, [focus, onFocusDone]);

  const move = (from: number, to: number, control: FocusRequest['control']) => {
    const story = stories[from];
    if (!story || to < 0 || to >= stories.length) return;
    onChange(arrayMove(stories, from, to), `${story.headline || 'Untitled'} moved to position ${to + 1} of ${stories.length}.`, { id: story.id, control });
  };

  const remove = (index: number) => {
    const story = stories[index]!;
    const next = stories.filter((_, i) => i !== index);
    const neighbour = next[index] ?? next[index - 1];
    onChange(next, `${story.headline || 'Untitled'} removed from ${listName}.`, neighbour ? { id: neighbour.id, control: 'remove' } : undefined);
  };

  const dragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = stories.findIndex((s) => s.id === active.id);
    const to = stories.findIndex((s) => s.id === over.id);
    if (from >= 0 && to >= 0) move(from, to, 'handle');
  };

  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${headline(active.id)}, at position ${position(active.id)} of ${stories.length}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`,
    onDragOver: ({ active, over }) => (over ? `${headline(active.id)} is over position ${position(over.id)} of ${stories.length}.` : `${headline(active.id)} is no longer over the list.`),
    onDragEnd: ({ active, over }) => (over ? `${headline(active.id)} dropped at position ${position(over.id)} of ${stories.length}.` : `${headline(active.id)} dropped where it was.`),
    onDragCancel: ({ active }) => `Moving cancelled. ${headline(active.id)} is back at position ${position(active.id)}.`,
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={dragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: 'To pick up a story, press Space or Enter. Move it with the Up and Down arrow keys, press Space or Enter to drop it, or Escape to cancel.',
        },
      }}
    >
      <SortableContext items={stories.map((s) => s.id)} strategy={verticalListSortingStrategy}>
        <ol className="ranked" ref={list} aria-label={label}>
          {stories.map((story, index) => (
            <Row key={story.id} story={story} index={index} count={stories.length} onMove={move} onRemove={remove} listName={listName} />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
