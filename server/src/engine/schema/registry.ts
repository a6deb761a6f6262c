import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import inventorySchema from '../../../../schemas/inventory.schema.json';

/** JSON Schemas of the file kinds we check, compiled once and shared. */
export type SchemaId = 'inventory';

const SCHEMAS: Record<SchemaId, { $id: string }> = {
  inventory: inventorySchema,
};

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);
  }
  return ajv;
}

/** A validator for a whole schema, or for one of its `definitions` when `definition` is given. */
export function validatorFor(schema: SchemaId, definition?: string): ValidateFunction {
  const ref = SCHEMAS[schema].$id + (definition ? `#/definitions/${definition}` : '');
  let validate = compiled.get(ref);
  if (!validate) {
    validate = instance().getSchema(ref);
    if (!validate) throw new Error(`no schema ${ref}`);
    compiled.set(ref, validate);
  }
  return validate;
}

/** The raw schema object, for hovers and completion. */
export function schemaDocument(schema: SchemaId): any {
  return SCHEMAS[schema];
}
