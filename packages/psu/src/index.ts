// Placeholder until the psu dialect lands: the gateway's registry imports this name.
export const dialect = undefined;
