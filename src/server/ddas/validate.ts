// SPDX-License-Identifier: EUPL-1.2
/**
 * A delivery in the national model checked against the official JSON Schema of DDAS
 * Uitwisselmodel Vroegsignalering v0.9 (draft 2020-12, with its date, date-time and email
 * formats). The schema is read from where the standard is published beside the project
 * (`../shared/standards/`), never copied into it: a delivery that does not pass is never served.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** The official schema, beside the project as the standards folder has it. */
export const DDAS_SCHEMA_FILE = fileURLToPath(
  new URL('../../../../shared/standards/ddas-vroegsignalering-v0.9/json_schema_Uitwisselmodel.json', import.meta.url),
);

export type DeliveryCheck = { ok: true } | { ok: false; errors: string[] };

// ajv-formats is CommonJS: its function is the default export's default under Node's ESM loader.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export type DdasValidator = (delivery: unknown) => DeliveryCheck;

/** A checker for deliveries; throws at once when the schema file is missing or is not a schema. */
export function ddasValidator(schemaFile: string = DDAS_SCHEMA_FILE): DdasValidator {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  const validate = ajv.compile(schema);
  return (delivery) => {
    if (validate(delivery)) return { ok: true };
    return { ok: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}`) };
  };
}

const compiled = new Map<string, DdasValidator>();

/** The checker for this schema file, compiled once per process. */
export function cachedValidator(schemaFile: string = DDAS_SCHEMA_FILE): DdasValidator {
  let v = compiled.get(schemaFile);
  if (!v) {
    v = ddasValidator(schemaFile);
    compiled.set(schemaFile, v);
  }
  return v;
}
