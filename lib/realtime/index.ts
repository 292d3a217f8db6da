export * from './payloads';
export * from './snapshot-store';
export * from './connection-status';
export * from './refetch-policy';
export * from './deltas';
