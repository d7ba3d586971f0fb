export * from './alarms';
export * from './dashboard';
