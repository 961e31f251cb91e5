/**
 * Posting pages are static and built ahead of time; when a posting's validThrough day passes
 * before the next build, this reveals the "no longer accepting applications" notice and hides
 * the application section (#apply) and the "Apply now" link to it. The apply endpoints check
 * the same deadline at the edge.
 */
function closeAfterDeadline(): void {
  const page = document.querySelector<HTMLElement>('[data-valid-through]');
  const deadline = Date.parse(page?.dataset['validThrough'] ?? '');
  if (Number.isNaN(deadline)) return;
  const close = () => {
    document.querySelector<HTMLElement>('[data-closed-notice]')?.removeAttribute('hidden');
    for (const apply of document.querySelectorAll<HTMLElement>('#apply, [data-apply-link]')) apply.hidden = true;
  };
  const remaining = deadline - Date.now();
  if (remaining <= 0) close();
  // A page left open across the deadline closes too (timers cap at about 24 days).
  else if (remaining < 2 ** 31) setTimeout(close, remaining);
}

closeAfterDeadline();
