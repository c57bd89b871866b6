import assert from "node:assert/strict";
import { test } from "node:test";
import { pageCountOf, pageWithin, readListPage } from "./paging";

test("an empty list has one page; a partly filled page counts", () => {
  assert.equal(pageCountOf(0, 50), 1);
  assert.equal(pageCountOf(50, 50), 1);
  assert.equal(pageCountOf(51, 50), 2);
});

test("a page outside the list is moved onto it", () => {
  assert.deepEqual(pageWithin(120, 2, 50), { page: 2, pageCount: 3, skip: 50, take: 50 });
  assert.deepEqual(pageWithin(120, 9, 50), { page: 3, pageCount: 3, skip: 100, take: 50 });
  assert.deepEqual(pageWithin(120, 0, 50), { page: 1, pageCount: 3, skip: 0, take: 50 });
  assert.deepEqual(pageWithin(0, 4, 50), { page: 1, pageCount: 1, skip: 0, take: 50 });
});

test("a list page counts, then reads the rows of the page it lands on", async () => {
  const windows: Array<{ skip: number; take: number }> = [];
  const list = await readListPage({
    requestedPage: 9,
    pageSize: 50,
    count: async () => 120,
    read: async (window) => {
      windows.push(window);
      return ["row"];
    },
  });
  assert.deepEqual(list, { rows: ["row"], total: 120, page: 3, pageCount: 3 });
  assert.deepEqual(windows, [{ skip: 100, take: 50 }]);
});
