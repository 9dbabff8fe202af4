// The demo's diagnoses (demo.ts, demo-discovery.ts): the engine's shape, empty where unset.
import type { Diagnosis } from './bindings/Diagnosis';

export function demoDiagnosis(partial: Partial<Diagnosis> & Pick<Diagnosis, 'code' | 'title'>): Diagnosis {
  return {
    whatHappened: '',
    whatToDo: '',
    steps: partial.whatToDo ? [partial.whatToDo] : [],
    whoActs: 'you',
    providerHint: null,
    stage: null,
    evidence: [],
    certificate: null,
    trustedFingerprint: null,
    side: null,
    ...partial,
  };
}
