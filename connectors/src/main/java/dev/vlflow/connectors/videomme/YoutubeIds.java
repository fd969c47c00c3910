package dev.vlflow.connectors.videomme;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The YouTube id in a video URL; Video-MME's files are named by it. */
final class YoutubeIds {

    private static final Pattern ID = Pattern.compile("(?:[?&]v=|youtu\\.be/|/shorts/|/embed/)([A-Za-z0-9_-]{6,})");

    private YoutubeIds() {
    }

    static Optional<String> fromUrl(String url) {
        Matcher m = ID.matcher(url);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
