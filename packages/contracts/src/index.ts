export * from './common';
export * from './units';
export * from './quotas';
export * from './reports';
export * from './settings';
export * from './clusters';
export * from './namespace-quotas';
export * from './prometheus';
