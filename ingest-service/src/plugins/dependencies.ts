/**
 * The plugins that hold the state every feature reads (the configuration, the database, the registry,
 * the live store): a feature plugin names them once here and then the plugins of its own.
 */
export const STATE_PLUGINS = ['dudao-config', 'dudao-database', 'dudao-registry', 'dudao-live'];
