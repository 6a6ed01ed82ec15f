using Microsoft.Data.Sqlite;

namespace Scoring.Storage.Tests;

public class SqlitePageCacheTests
{
    private static readonly DialectSql Create = DialectSql.Both("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
    private static readonly DialectSql Insert = DialectSql.Both("INSERT INTO items (id, name) VALUES (@id, @name)");
    private static readonly DialectSql Find = DialectSql.Both("SELECT id FROM items WHERE name = @name");
    private static readonly DialectSql Check = DialectSql.Both("PRAGMA integrity_check");

    [Fact]
    public async Task Pages_swapped_while_an_index_is_rebalanced_are_parked_off_the_lock_byte_page_and_the_database_stays_whole()
    {
        await using var world = await StorageWorld.CreateAsync(migrate: false);
        var db = world.Db;
        await db.WriteAsync(s => s.ExecuteAsync(Create));
        var before = SqlitePageCache.SwapsParked;
        // Random names land all over the unique index, so its pages split and merge out of page-number order.
        var random = new Random(7);
        var names = Enumerable.Range(0, 20_000).Select(i => (Id: i, Name: $"{random.NextInt64():x16}-{i}")).ToList();
        foreach (var chunk in names.Chunk(500))
            await db.WriteAsync(async s => { foreach (var (id, name) in chunk) await s.ExecuteAsync(Insert, new { id, name }); return 0; });

        var integrity = await db.ReadAsync(s => s.ScalarAsync<string>(Check));
        var found = await db.ReadAsync(async s =>
        {
            var n = 0;
            foreach (var (id, name) in names.Where(x => x.Id % 97 == 0))
                if (await s.ScalarAsync<long?>(Find, new { name }) == id) n++;
            return n;
        });

        Assert.True(SqlitePageCache.Installed);
        Assert.True(SqlitePageCache.SwapsParked > before, "no page was parked: the cache is not ours, or nothing was rebalanced");
        Assert.Equal("ok", integrity);
        Assert.Equal(names.Count(x => x.Id % 97 == 0), found);
    }
}
