namespace Payments.Actors.LoadGen;

public static class RepoPaths
{
    /// <summary>The checkout this tool runs from (the folder holding Payments.Actors.sln), if any.</summary>
    public static string? Root { get; } = Find(Directory.GetCurrentDirectory()) ?? Find(AppContext.BaseDirectory);

    private static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.Actors.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
