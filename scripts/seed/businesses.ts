// The demo businesses: currency, time zone, opening hours, order volume and catalog.

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

export const BUSINESSES: readonly BusinessDef[] = [
  {
    name: 'Blue Bottle Bar',
    currency: 'USD',
    timeZone: 'America/Los_Angeles',
    hours: [16, 24],
    ordersPerDay: [6, 15],
    products: [
      { sku: 'BBB-IPA', name: 'House IPA (pint)', category: 'Beer', priceCents: 750, stock: 180 },
      {
        sku: 'BBB-LAGER',
        name: 'Pilsner Lager (pint)',
        category: 'Beer',
        priceCents: 650,
        stock: 220,
      },
      {
        sku: 'BBB-STOUT',
        name: 'Oatmeal Stout (pint)',
        category: 'Beer',
        priceCents: 800,
        stock: 90,
      },
      { sku: 'BBB-CIDER', name: 'Dry Apple Cider', category: 'Beer', priceCents: 700, stock: 60 },
      { sku: 'BBB-MARG', name: 'Margarita', category: 'Cocktails', priceCents: 1200, stock: 999 },
      { sku: 'BBB-NEGRONI', name: 'Negroni', category: 'Cocktails', priceCents: 1300, stock: 999 },
      {
        sku: 'BBB-OLDFASH',
        name: 'Old Fashioned',
        category: 'Cocktails',
        priceCents: 1400,
        stock: 999,
      },
      {
        sku: 'BBB-SPRITZ',
        name: 'Aperol Spritz',
        category: 'Cocktails',
        priceCents: 1100,
        stock: 999,
      },
      {
        sku: 'BBB-WINE-R',
        name: 'House Red (glass)',
        category: 'Wine',
        priceCents: 900,
        stock: 48,
      },
      {
        sku: 'BBB-WINE-W',
        name: 'House White (glass)',
        category: 'Wine',
        priceCents: 900,
        stock: 52,
      },
      { sku: 'BBB-NACHOS', name: 'Loaded Nachos', category: 'Food', priceCents: 1050, stock: 40 },
      { sku: 'BBB-FRIES', name: 'Truffle Fries', category: 'Food', priceCents: 750, stock: 70 },
      { sku: 'BBB-SODA', name: 'Craft Soda', category: 'Soft drinks', priceCents: 400, stock: 120 },
    ],
  },
  {
    name: 'Corner Bakery',
    currency: 'USD',
    timeZone: 'America/New_York',
    hours: [7, 15],
    ordersPerDay: [8, 15],
    products: [
      {
        sku: 'CB-SOURDOUGH',
        name: 'Sourdough Loaf',
        category: 'Bread',
        priceCents: 800,
        stock: 30,
      },
      { sku: 'CB-BAGUETTE', name: 'Baguette', category: 'Bread', priceCents: 450, stock: 45 },
      { sku: 'CB-RYE', name: 'Seeded Rye', category: 'Bread', priceCents: 750, stock: 20 },
      {
        sku: 'CB-CROISSANT',
        name: 'Butter Croissant',
        category: 'Pastry',
        priceCents: 375,
        stock: 80,
      },
      {
        sku: 'CB-PAINCHOC',
        name: 'Pain au Chocolat',
        category: 'Pastry',
        priceCents: 425,
        stock: 60,
      },
      { sku: 'CB-CINNROLL', name: 'Cinnamon Roll', category: 'Pastry', priceCents: 450, stock: 50 },
      {
        sku: 'CB-MUFFIN',
        name: 'Blueberry Muffin',
        category: 'Pastry',
        priceCents: 350,
        stock: 55,
      },
      { sku: 'CB-ESPRESSO', name: 'Espresso', category: 'Coffee', priceCents: 300, stock: 999 },
      { sku: 'CB-LATTE', name: 'Latte', category: 'Coffee', priceCents: 500, stock: 999 },
      { sku: 'CB-CAPP', name: 'Cappuccino', category: 'Coffee', priceCents: 475, stock: 999 },
      { sku: 'CB-TEA', name: 'Earl Grey Tea', category: 'Tea', priceCents: 325, stock: 999 },
      {
        sku: 'CB-QUICHE',
        name: 'Spinach Quiche Slice',
        category: 'Savory',
        priceCents: 650,
        stock: 24,
      },
    ],
  },
  {
    name: 'Night Market Foods',
    currency: 'USD',
    timeZone: 'America/Chicago',
    hours: [17, 24],
    ordersPerDay: [5, 14],
    products: [
      {
        sku: 'NM-BAO',
        name: 'Pork Belly Bao',
        category: 'Street food',
        priceCents: 600,
        stock: 120,
      },
      {
        sku: 'NM-DUMPLING',
        name: 'Pork Dumplings (8)',
        category: 'Street food',
        priceCents: 850,
        stock: 150,
      },
      {
        sku: 'NM-SKEWER',
        name: 'Chicken Satay Skewers',
        category: 'Grill',
        priceCents: 700,
        stock: 140,
      },
      { sku: 'NM-SQUID', name: 'Grilled Squid', category: 'Grill', priceCents: 1100, stock: 40 },
      { sku: 'NM-PADTHAI', name: 'Pad Thai', category: 'Noodles', priceCents: 1250, stock: 80 },
      { sku: 'NM-RAMEN', name: 'Tonkotsu Ramen', category: 'Noodles', priceCents: 1400, stock: 60 },
      {
        sku: 'NM-SPRING',
        name: 'Vegetable Spring Rolls',
        category: 'Street food',
        priceCents: 550,
        stock: 100,
      },
      { sku: 'NM-TAKO', name: 'Takoyaki (6)', category: 'Street food', priceCents: 750, stock: 90 },
      {
        sku: 'NM-MANGO',
        name: 'Mango Sticky Rice',
        category: 'Dessert',
        priceCents: 650,
        stock: 50,
      },
      {
        sku: 'NM-BOBA',
        name: 'Brown Sugar Boba Tea',
        category: 'Drinks',
        priceCents: 575,
        stock: 200,
      },
      { sku: 'NM-LEMON', name: 'Thai Iced Tea', category: 'Drinks', priceCents: 450, stock: 200 },
    ],
  },
];
