// The demo businesses: currency, time zone, opening hours, order volume and catalog.
import { readFileSync } from 'node:fs';

export interface ProductDef {
  sku: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
}

export interface BusinessDef {
  name: string;
  currency: string;
  /** IANA time zone: what "today" and a date mean for this business. */
  timeZone: string;
  /** Opening hours (local time) in which orders are placed: [from, to). */
  hours: [number, number];
  ordersPerDay: [number, number];
  products: ProductDef[];
}

/** The catalog is data: businesses.json beside this file. */
export const BUSINESSES: readonly BusinessDef[] = JSON.parse(
  readFileSync(new URL('./businesses.json', import.meta.url), 'utf8'),
);
