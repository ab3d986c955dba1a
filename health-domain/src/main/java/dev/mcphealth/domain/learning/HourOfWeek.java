package dev.mcphealth.domain.learning;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * One of the 168 hours of a week, Monday 00:00-00:59 being 0 and Sunday 23:00-23:59 being 167, in a time zone: the
 * unit a usage profile learns by, since people's work follows the hours of their own week.
 */
public record HourOfWeek(int index) {
    /** How many hours a week has. */
    public static final int COUNT = 168;

    public HourOfWeek {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("an hour of the week is 0..167, got " + index);
        }
    }

    /** The hour of the week {@code t} falls in, in {@code zone} (a day of 23 or 25 hours keeps its wall-clock hours). */
    public static HourOfWeek of(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        return new HourOfWeek((z.getDayOfWeek().getValue() - 1) * 24 + z.getHour());
    }

    public DayOfWeek day() {
        return DayOfWeek.of(index / 24 + 1);
    }

    /** 0..23. */
    public int hourOfDay() {
        return index % 24;
    }

    /** Hours {@code first} to {@code last}, both whole, as people say it: {@code Sun 01:00-Sun 03:59}. */
    public static String range(HourOfWeek first, HourOfWeek last) {
        String end = last.label();
        return first.label() + "-" + end.substring(0, end.length() - 2) + "59";
    }

    /**
     * The runs of consecutive items of {@code items} (an hour's each) with one {@code key}, in order: each as its first
     * index and the index after its last.
     */
    public static <T> java.util.List<int[]> runs(java.util.List<T> items, java.util.function.Function<T, ?> key) {
        java.util.List<int[]> runs = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 1; i <= items.size(); i++) {
            if (i == items.size() || !key.apply(items.get(i)).equals(key.apply(items.get(start)))) {
                runs.add(new int[] {start, i});
                start = i;
            }
        }
        return runs;
    }

    /** As people say it: {@code Mon 09:00}. */
    public String label() {
        String day = day().name();
        return day.charAt(0) + day.substring(1, 3).toLowerCase(Locale.ROOT)
                + String.format(Locale.ROOT, " %02d:00", hourOfDay());
    }
}
