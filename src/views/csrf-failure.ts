/**
 * The default `CSRF_FAILURE_VIEW` (Django's `django/views/csrf.py` `csrf_failure`): a 403 page
 * saying that CSRF verification failed, with Django's explanations for a missing Referer or a
 * missing cookie, and the help section when DEBUG is on.
 *
 * One deliberate difference, as with the project's other 403 pages (see `views/defaults.ts`):
 * the reason ("CSRF token missing.", "Origin checking failed - ... does not match any trusted
 * origins.") is shown in production too, HTML-escaped. It describes only the client's own
 * request, and API clients and webhook senders show response bodies; Django shows it only with
 * DEBUG.
 *
 * @module
 */
import type { HttpRequest } from '../http/request.ts';
import { HttpResponseForbidden } from '../http/responses.ts';
import { escapeHtml } from '../utils/html.ts';
import type { Kwargs } from './view.ts';

/** Reason when an HTTPS request sends neither Origin nor Referer (Django's `REASON_NO_REFERER`). */
export const REASON_NO_REFERER = 'Referer checking failed - no Referer.';
/** Reason when an unsafe request comes without the CSRF cookie (Django's `REASON_NO_CSRF_COOKIE`). */
export const REASON_NO_CSRF_COOKIE = 'CSRF cookie not set.';

const NO_REFERER = [
  'You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your web browser, but none was sent. This header is required for security reasons, to ensure that your browser is not being hijacked by third parties.',
  'If you have configured your browser to disable “Referer” headers, please re-enable them, at least for this site, or for HTTPS connections, or for “same-origin” requests.',
  'If you are using the &lt;meta name="referrer" content="no-referrer"&gt; tag or including the “Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the “Referer” header to do strict referer checking. If you’re concerned about privacy, use alternatives like &lt;a rel="noreferrer" …&gt; for links to third-party sites.',
];

const NO_COOKIE = [
  'You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties.',
  'If you have configured your browser to disable cookies, please re-enable them, at least for this site, or for “same-origin” requests.',
];

const HELP = `<div id="info">
  <h2>Help</h2>
  <p>In general, this can occur when there is a genuine Cross Site Request Forgery, or when the CSRF mechanism has not been used correctly. For POST forms, you need to ensure:</p>
  <ul>
    <li>Your browser is accepting cookies.</li>
    <li>The view passes the token to the page: <code>getToken(request)</code>, or the <code>csrf</code> context processor with a template.</li>
    <li>Every POST form aimed at an internal URL has a hidden <code>csrfmiddlewaretoken</code> field with that token (or the request sends it in the <code>X-CSRFToken</code> header).</li>
    <li>If you are not using CsrfViewMiddleware, you must use <code>csrfProtect</code> on any view that uses the token, as well as those that accept the POST data.</li>
    <li>The form has a valid CSRF token. After logging in in another browser tab or hitting the back button after a login, you may need to reload the page with the form, because the token is rotated after a login.</li>
  </ul>
  <p>You’re seeing the help section of this page because you have <code>DEBUG: true</code> in your settings. Change that to <code>false</code>, and only the initial error message will be displayed.</p>
  <p>You can customize this page using the CSRF_FAILURE_VIEW setting.</p>
</div>`;

/**
 * The 403 response for a request CsrfViewMiddleware refused; `kwargs.reason` says why.
 *
 * @example
 * // settings: CSRF_FAILURE_VIEW: (request, { reason }) => csrfFailure(request, { reason }) // the default
 * const response = csrfFailure(request, { reason: 'CSRF token missing.' }); // status 403
 */
export function csrfFailure(request: HttpRequest, kwargs: Kwargs = {}): HttpResponseForbidden {
  const reason = typeof kwargs.reason === 'string' ? kwargs.reason : '';
  const paragraphs = [
    ...(reason === REASON_NO_REFERER ? NO_REFERER : []),
    ...(reason === REASON_NO_CSRF_COOKIE ? NO_COOKIE : []),
  ].map((text) => `  <p>${text}</p>\n`);
  const details = reason ? `  <p>Reason given for failure:</p>\n  <pre>${escapeHtml(reason)}</pre>\n` : '';
  const tail = request.settings.DEBUG
    ? HELP
    : '<div id="explanation">\n  <p><small>More information is available with DEBUG: true.</small></p>\n</div>';
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <meta name="robots" content="NONE,NOARCHIVE">
  <title>403 Forbidden</title>
</head>
<body>
<div id="summary">
  <h1>Forbidden <span>(403)</span></h1>
  <p>CSRF verification failed. Request aborted.</p>
${paragraphs.join('')}${details}</div>
${tail}
</body>
</html>
`;
  return new HttpResponseForbidden(html);
}
