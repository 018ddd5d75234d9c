/**
 * Compare TwiML by structure, not bytes: parsed with fast-xml-parser keeping element order and
 * text, so attribute order and self-closing style do not matter (twilio-node and twilio-python
 * differ in both).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
});

/** The document's elements, attributes and text, order-preserving except for attributes. */
export function parseTwiml(xml: string): unknown {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`Not well-formed XML: ${valid.err.msg}\n${xml}`);
  return parser.parse(xml);
}
