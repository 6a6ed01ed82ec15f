using System.Data;
using System.Text;
using Dapper;

namespace Scoring.Storage;

/// <summary>
/// A text value already encoded as UTF-8 (JSON as System.Text.Json writes it), bound as SQLite text from its bytes as they
/// are: a string would be transcoded to UTF-16 when made and back to UTF-8 when bound. Elsewhere (SQL Server, a statement
/// Dapper runs) it is bound as the string it spells.
/// </summary>
public sealed class Utf8Text(byte[] utf8) : SqlMapper.ICustomQueryParameter
{
    public static Utf8Text Of(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The UTF-8 bytes; not to be changed.</summary>
    public byte[] Bytes { get; } = utf8;

    public override string ToString() => Encoding.UTF8.GetString(Bytes);

    void SqlMapper.ICustomQueryParameter.AddParameter(IDbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.String;
        parameter.Value = ToString();
        command.Parameters.Add(parameter);
    }
}
