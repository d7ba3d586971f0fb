import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';

/** A metadata entry as `Validations.acknowledge()` records it. */
interface RecordedEntry {
  readonly type: string;
  readonly data: unknown;
}

/** What `Validations.acknowledge()` records for an (id, reason) pair, learnt once per process. */
const recorded = new Map<string, RecordedEntry[]>();

/**
 * Acknowledge a validation-plugin finding (e.g. a cdk-nag rule) on `scope` and its descendants.
 *
 * `Validations.acknowledge()` renders a source-mapped stack trace of the call on every use (about
 * 0.3 ms under ts-node), and the library acknowledges once per service: at hundreds of services
 * that was the largest cost the library added to synthesis. So the real call runs once per
 * (id, reason) on a detached construct, and the metadata it records there (the
 * `aws:cdk:acknowledged-rules` entry, keyed by the id in the form this aws-cdk-lib version
 * writes) is added to `scope` as it is, without the trace. Plugins such as cdk-nag read exactly
 * that metadata. What the trace would have told (who acknowledged) is the construct path, which
 * is inside this library anyway. The public call also marks the id as acknowledged for
 * annotation warnings under `scope`; no annotation warning carries these plugin ids (cdk-nag 3
 * reports through the validation report), so that part is not repeated.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  // aws-cdk-lib before Validations: nothing to acknowledge with, and no plugin to read it.
  if (typeof Validations?.of !== 'function') return;
  const key = `${id}\u0000${reason}`;
  let entries = recorded.get(key);
  if (!entries) {
    const probe = new Construct(undefined as any, '');
    Validations.of(probe).acknowledge({ id, reason });
    entries = probe.node.metadata.map((m) => ({ type: m.type, data: m.data }));
    recorded.set(key, entries);
  }
  for (const entry of entries) scope.node.addMetadata(entry.type, entry.data);
}
