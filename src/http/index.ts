/**
 * `koa-django/http`: the request and response objects (Django's `django.http`).
 *
 * @module
 */

export {
  BadHeaderError,
  Http404,
  MultiPartParserError,
  RawPostDataException,
  UnreadablePostError,
} from '../exceptions.ts';
export { parseCookie } from './cookies.ts';
export { FileResponse } from './file-response.ts';
export { HttpHeaders } from './headers.ts';
export { Morsel } from './morsel.ts';
export { MultiValueDict, QueryDict } from './query-dict.ts';
export { HttpRequest, type HttpRequestInit } from './request.ts';
export { HttpResponse, HttpResponseBase, StreamingHttpResponse } from './response.ts';
export {
  HttpResponseBadRequest,
  HttpResponseForbidden,
  HttpResponseGone,
  HttpResponseNotAllowed,
  HttpResponseNotFound,
  HttpResponseNotModified,
  HttpResponsePermanentRedirect,
  HttpResponseRedirect,
  HttpResponseServerError,
  JsonResponse,
} from './responses.ts';
export { InMemoryUploadedFile, TemporaryUploadedFile, UploadedFile } from './uploads.ts';
