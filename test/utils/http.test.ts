import test from 'ava';
import {
  contentDispositionHeader,
  decodeText,
  encodeText,
  httpDate,
  mimeEncodeHeader,
  pythonRepr,
} from '../../src/utils/http.ts';

test('httpDate(epochSeconds) formats an RFC 7231 IMF-fixdate in GMT', (t) => {
  t.is(httpDate(1700000010), 'Tue, 14 Nov 2023 22:13:30 GMT');
  t.is(httpDate(0), 'Thu, 01 Jan 1970 00:00:00 GMT');
});

test('httpDate(epochSeconds) drops fractions of a second like Python formatdate, also before 1970', (t) => {
  t.is(httpDate(1700000010.6), 'Tue, 14 Nov 2023 22:13:30 GMT');
  t.is(httpDate(-1), 'Wed, 31 Dec 1969 23:59:59 GMT');
});

test('httpDate() formats the current time', (t) => {
  const before = Math.floor(Date.now() / 1000);
  const parsed = Date.parse(httpDate()) / 1000;
  t.true(parsed >= before && parsed <= before + 2);
});

test('contentDispositionHeader(asAttachment, filename) quotes printable ASCII names [verified]', (t) => {
  t.is(contentDispositionHeader(true, 'my file.txt'), 'attachment; filename="my file.txt"');
  t.is(contentDispositionHeader(false, 'report.pdf'), 'inline; filename="report.pdf"');
});

test('contentDispositionHeader(asAttachment, filename) escapes backslashes and double quotes', (t) => {
  t.is(contentDispositionHeader(false, 'a"b\\c.txt'), 'inline; filename="a\\"b\\\\c.txt"');
});

test("contentDispositionHeader(asAttachment, filename) percent-encodes non-ASCII names as filename*=utf-8'' [verified]", (t) => {
  t.is(contentDispositionHeader(false, 'résumé.pdf'), "inline; filename*=utf-8''r%C3%A9sum%C3%A9.pdf");
  t.is(contentDispositionHeader(true, 'a\nb'), "attachment; filename*=utf-8''a%0Ab");
});

test('contentDispositionHeader(asAttachment, "") is "attachment" or null without a name', (t) => {
  t.is(contentDispositionHeader(true, ''), 'attachment');
  t.is(contentDispositionHeader(false, ''), null);
});

test('mimeEncodeHeader(value) uses base64 when it is shorter, like Python email.header', (t) => {
  t.is(mimeEncodeHeader('†'), '=?utf-8?b?4oCg?=');
  t.is(mimeEncodeHeader('café au lait †'), '=?utf-8?b?Y2Fmw6kgYXUgbGFpdCDigKA=?=');
  t.is(mimeEncodeHeader('日本語テキスト'), '=?utf-8?b?5pel5pys6Kqe44OG44Kt44K544OI?=');
});

test('mimeEncodeHeader(value) uses quoted-printable when it is not longer, like Python email.header', (t) => {
  t.is(mimeEncodeHeader('abcdefghij †'), '=?utf-8?q?abcdefghij_=E2=80=A0?=');
  t.is(
    mimeEncodeHeader('attachment; filename=†.txt'),
    '=?utf-8?q?attachment=3B_filename=3D=E2=80=A0=2Etxt?=',
  );
});

test('encodeText(text, charset) encodes utf-8, latin-1 and ascii under their Python names', (t) => {
  t.deepEqual([...encodeText('café', 'utf-8')], [0x63, 0x61, 0x66, 0xc3, 0xa9]);
  t.deepEqual([...encodeText('café', 'ISO-8859-1')], [0x63, 0x61, 0x66, 0xe9]);
  t.deepEqual([...encodeText('café', 'latin_1')], [0x63, 0x61, 0x66, 0xe9]);
  t.deepEqual([...encodeText('ok', 'us-ascii')], [0x6f, 0x6b]);
  t.deepEqual([...encodeText('é', 'UTF-16LE')], [0xe9, 0x00]);
});

test('encodeText(text, charset) refuses characters the charset cannot hold instead of mangling them', (t) => {
  t.throws(() => encodeText('5 €', 'latin-1'), {
    instanceOf: TypeError,
    message: "'latin-1' cannot encode '€' (position 2). Use charset 'utf-8', or pass bytes.",
  });
  t.throws(() => encodeText('é', 'ascii'), { instanceOf: TypeError });
  t.throws(() => encodeText('\ud800', 'utf-8'), { instanceOf: TypeError });
});

test('encodeText(text, charset) names the supported charsets when given another', (t) => {
  t.throws(() => encodeText('x', 'shift_jis'), {
    instanceOf: TypeError,
    message: /Cannot encode text as 'shift_jis'.*utf-8, latin-1/,
  });
});

test('decodeText(bytes, charset) decodes strictly and keeps a UTF-8 BOM, like Python', (t) => {
  t.is(decodeText(Buffer.from([0x63, 0xe9]), 'latin-1'), 'cé');
  t.is(decodeText(Buffer.from([0x80]), 'iso-8859-1'), '\u0080');
  t.is(decodeText(Buffer.from('\ufeffhé'), 'utf-8'), '\ufeffhé');
  t.is(decodeText(Buffer.from([0x82, 0xa0]), 'shift_jis'), 'あ');
  t.throws(() => decodeText(Buffer.from([0xff]), 'utf-8'), {
    instanceOf: TypeError,
    message: /not valid 'utf-8'/,
  });
  t.throws(() => decodeText(Buffer.from([0xe9]), 'ascii'), { instanceOf: TypeError });
  t.throws(() => decodeText(Buffer.from('x'), 'no-such-charset'), {
    message: /Unknown charset 'no-such-charset'/,
  });
});

test("pythonRepr(value) quotes like Python's repr()", (t) => {
  t.is(pythonRepr('a\nb'), "'a\\nb'");
  t.is(pythonRepr("it's"), `"it's"`);
  t.is(pythonRepr(`it's "x"`), `'it\\'s "x"'`);
  t.is(pythonRepr('tab\there\u0001\\'), "'tab\\there\\x01\\\\'");
});
