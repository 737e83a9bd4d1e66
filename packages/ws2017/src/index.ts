// Placeholder until the ws2017 dialect lands: the gateway's registry imports this name.
export const dialect = undefined;
