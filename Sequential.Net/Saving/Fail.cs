namespace SequentialNet.Saving;

/// <summary>Runs model-building code and reports its argument errors as a <see cref="FormatProblem"/> at a place in the file.</summary>
internal static class Fail
{
    public static T Wrap<T>(Func<T> body, string where)
    {
        try { return body(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new FormatProblem($"{where}: {e.Message}", e);
        }
    }

    public static void Wrap(Action body, string where) => Wrap(() => { body(); return 0; }, where);
}
