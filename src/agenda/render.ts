import type { OverrideFailure } from '../github/template-overrides.js';
import type { Agenda } from './compose.js';

/** Renders one template (the repository's override if it has one and it renders; else netbot's, saying why). */
export type SectionRenderer = (template: string, vars: Record<string, unknown>) => Promise<{ text: string; failure?: OverrideFailure }>;

/** GitHub refuses an issue or Discussion body over 65,536 characters. */
export const MAX_BODY = 65_000;

/** The hidden first line of every agenda: which meeting it is for. */
export const agendaMarker = (meetingAt: string) => `<!-- netbot:agenda:${meetingAt} -->`;

/**
 * The agenda's Markdown: each section through its own template, then the frame, which reports any of the
 * repository's own templates that failed to render (with the line nunjucks names) above the sections.
 */
export async function renderAgenda(render: SectionRenderer, agenda: Agenda): Promise<{ body: string; problems: OverrideFailure[] }> {
  const problems: OverrideFailure[] = [];
  const sections: { id: string; text: string }[] = [];
  for (const section of agenda.sections) {
    const result = await render(section.template, { ...section.vars, timebox: section.timebox, agendaTimebox: agenda.timebox });
    if (result.failure) problems.push(result.failure);
    sections.push({ id: section.id, text: result.text.trim() });
  }
  const frame = await render('agenda/agenda.md.njk', { agenda, sections, problems });
  if (frame.failure) problems.push(frame.failure);
  let body = `${agendaMarker(agenda.meetingAt)}\n${frame.text.trim()}\n`;
  if (frame.failure) body = `${agendaMarker(agenda.meetingAt)}\n${(await render('agenda/agenda.md.njk', { agenda, sections, problems })).text.trim()}\n`;
  if (body.length > MAX_BODY) body = `${body.slice(0, MAX_BODY - 200)}\n\n_(cut: the agenda is longer than GitHub allows; lower \`agenda.listLimit\`)_\n`;
  return { body, problems };
}
