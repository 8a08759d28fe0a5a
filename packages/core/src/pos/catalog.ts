// Catalog reads, always within one business.
import type { Db, SqlClient } from '@flowpos/db';
import { notFound } from '../errors.ts';
import { likeLiteral } from './like-literal.ts';

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  category: string | null;
  priceCents: number;
  stock: number;
  isActive: boolean;
}

const productSelect = {
  id: true,
  sku: true,
  name: true,
  category: true,
  priceCents: true,
  stock: true,
  isActive: true,
} as const;

export async function listProducts(
  db: Db,
  businessId: string,
  query: {
    search?: string | undefined;
    category?: string | undefined;
    limit?: number | undefined;
    includeInactive?: boolean | undefined;
  },
): Promise<ProductView[]> {
  return db.product.findMany({
    where: {
      businessId,
      ...(query.includeInactive ? {} : { isActive: true }),
      ...(query.category
        ? { category: { equals: likeLiteral(query.category), mode: 'insensitive' as const } }
        : {}),
      ...(query.search
        ? {
            OR: [
              { name: { contains: likeLiteral(query.search), mode: 'insensitive' as const } },
              { sku: { contains: likeLiteral(query.search), mode: 'insensitive' as const } },
            ],
          }
        : {}),
    },
    select: productSelect,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: query.limit ?? 50,
  });
}

const PRODUCT_COLUMNS = `id::text AS id, sku, name, category, price_cents AS "priceCents", stock, is_active AS "isActive"`;

/** The hot read of tools/call: a prepared statement, no query building. */
export async function getProduct(
  sql: SqlClient,
  businessId: string,
  ref: { productId?: string | undefined; sku?: string | undefined },
): Promise<ProductView> {
  const rows = ref.productId
    ? await sql.query<ProductView>({
        name: 'fp_get_product_by_id',
        text: `SELECT ${PRODUCT_COLUMNS} FROM product WHERE business_id = $1::uuid AND id = $2::uuid LIMIT 1`,
        values: [businessId, ref.productId],
      })
    : await sql.query<ProductView>({
        name: 'fp_get_product_by_sku',
        text: `SELECT ${PRODUCT_COLUMNS} FROM product WHERE business_id = $1::uuid AND sku = $2 LIMIT 1`,
        values: [businessId, ref.sku ?? ''],
      });
  const product = rows[0];
  if (!product) throw notFound('Product not found in the active business');
  return product;
}
