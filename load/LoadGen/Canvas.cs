namespace Payments.Actors.LoadGen;

public readonly record struct Rgb(byte R, byte G, byte B);

/// <summary>An RGB raster with the few drawing primitives a chart needs.</summary>
public sealed class Canvas
{
    public Canvas(int width, int height, Rgb background)
    {
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        Fill(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public void Set(int x, int y, Rgb color)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        Pixels[i] = color.R;
        Pixels[i + 1] = color.G;
        Pixels[i + 2] = color.B;
    }

    public void Fill(int x, int y, int width, int height, Rgb color)
    {
        for (var yy = y; yy < y + height; yy++)
        {
            for (var xx = x; xx < x + width; xx++)
            {
                Set(xx, yy, color);
            }
        }
    }

    /// <summary>Bresenham, thickened to <paramref name="thickness"/> pixels.</summary>
    public void Line(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        var error = dx + dy;
        while (true)
        {
            Fill(x0 - (thickness / 2), y0 - (thickness / 2), thickness, thickness, color);
            if (x0 == x1 && y0 == y1)
            {
                break;
            }

            var doubled = 2 * error;
            if (doubled >= dy)
            {
                error += dy;
                x0 += sx;
            }

            if (doubled <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    public void Text(int x, int y, string text, Rgb color, int scale = 1)
    {
        foreach (var c in text)
        {
            var glyph = PixelFont.Glyph(c);
            for (var column = 0; column < PixelFont.Width; column++)
            {
                for (var row = 0; row < PixelFont.Height; row++)
                {
                    if ((glyph[column] >> row & 1) != 0)
                    {
                        Fill(x + (column * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }

            x += (PixelFont.Width + 1) * scale;
        }
    }
}
