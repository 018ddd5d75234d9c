/**
 * The template errors (Django's `django/template/exceptions.py`): a template that cannot be
 * found, one that does not parse, and one that fails while it renders. Each names the template,
 * and where it can, the line, so the message alone says what to open and fix.
 *
 * @module
 */
import { KoaDjangoError } from '../exceptions.ts';

/**
 * No template directory has the template (or none of the names in a list). `tried` holds the
 * directories searched, in order.
 *
 * @example
 * try { getTemplate(settings, 'missing.html') } catch (e) { if (e instanceof TemplateDoesNotExist) console.log(e.tried) }
 */
export class TemplateDoesNotExist extends KoaDjangoError {
  override readonly code = 'KD_TEMPLATE_DOES_NOT_EXIST';
  /** The name (or names, for a list) that were looked for. */
  readonly templateNames: readonly string[];
  /** The directories searched, in order. */
  readonly tried: readonly string[];

  constructor(
    templateNames: string | readonly string[],
    tried: readonly string[],
    details: { reason?: string; includedFrom?: string } = {},
  ) {
    const names = typeof templateNames === 'string' ? [templateNames] : [...templateNames];
    const quoted = names.map((n) => `'${n}'`).join(', ');
    const what =
      names.length === 1 ? `Template ${quoted} does not exist` : `None of the templates ${quoted} exist`;
    const from = details.includedFrom ? ` (included or extended from '${details.includedFrom}')` : '';
    const reason = details.reason ? ` ${details.reason}` : '';
    const searched =
      tried.length > 0
        ? ` Searched: ${tried.join(', ')}. Create the file in one of these directories, or add its directory to TEMPLATES[0].DIRS (relative to BASE_DIR).`
        : " No directory is searched: TEMPLATES is empty or has no DIRS. Add e.g. TEMPLATES: [{ DIRS: ['templates'] }] to the settings.";
    super(`${what}${from}.${reason}${searched}`);
    this.templateNames = names;
    this.tried = [...tried];
  }
}

/**
 * A template does not parse: the message names the template, its file, the line and column.
 *
 * @example
 * // TemplateSyntaxError: Template 'page.html' (/app/templates/page.html) has a syntax error at line 2, column 9: unexpected token: }}
 */
export class TemplateSyntaxError extends KoaDjangoError {
  override readonly code = 'KD_TEMPLATE_SYNTAX_ERROR';
  /** The template's name, as looked up. */
  readonly templateName: string;
  /** The 1-based line of the error (0 when nunjucks does not say). */
  readonly line: number;
  /** The 1-based column of the error (0 when nunjucks does not say). */
  readonly column: number;

  constructor(
    templateName: string,
    origin: string,
    position: { line: number; column: number },
    detail: string,
    options?: ErrorOptions,
  ) {
    const where = position.line
      ? ` at line ${position.line}${position.column ? `, column ${position.column}` : ''}`
      : '';
    super(
      `Template '${templateName}'${origin ? ` (${origin})` : ''} has a syntax error${where}: ${detail}`,
      options,
    );
    this.templateName = templateName;
    this.line = position.line;
    this.column = position.column;
  }
}

/**
 * Rendering a template failed: a variable's function threw, or an undefined value was called.
 * The message names the template and line; `cause` is the original error.
 *
 * @example
 * // TemplateRenderError: Rendering template 'page.html' failed at line 3: TypeError: kaboom
 */
export class TemplateRenderError extends KoaDjangoError {
  override readonly code = 'KD_TEMPLATE_RENDER_ERROR';
  /** The template the error happened in (an included one, if that is where). */
  readonly templateName: string;
  /** The 1-based line (0 when nunjucks does not say). */
  readonly line: number;

  constructor(templateName: string, line: number, detail: string, options?: ErrorOptions) {
    super(`Rendering template '${templateName}' failed${line ? ` at line ${line}` : ''}: ${detail}`, options);
    this.templateName = templateName;
    this.line = line;
  }
}
