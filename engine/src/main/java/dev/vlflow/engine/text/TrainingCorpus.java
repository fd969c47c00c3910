package dev.vlflow.engine.text;

/**
 * The small built-in English text the project's tokenizers are trained on: short descriptions of videos, colours,
 * shapes and motion, and the Video-MME / lmms-eval prompt wording, so that prompts of the tests and benchmarks
 * tokenize into plausible sub-words.
 */
public final class TrainingCorpus {

    private TrainingCorpus() {
    }

    public static String text() {
        return TEXT;
    }

    private static final String TEXT = """
            This video shows a red square moving from the left side of the frame to the right side.
            The video shows a blue circle that moves up and down while a green triangle stays still.
            A yellow square slides across the screen. The background is black and the square is bright yellow.
            Two circles, one red and one blue, move toward each other and meet in the middle of the frame.
            The green triangle rotates slowly, then it stops and changes colour to orange.
            In the first part of the video the screen is white; in the second part it turns dark grey.
            A purple rectangle grows larger over time until it fills the whole frame.
            The small circle bounces on the floor three times and then rolls out of view.
            What colour is the square at the end of the video? The square is red at the end of the video.
            What shape appears first in the video? A circle appears first, then a square, then a triangle.
            How many objects move in this video? Two objects move, and one object does not move.
            In which direction does the circle move? The circle moves from the top to the bottom of the frame.
            Does the triangle move faster or slower than the square? The triangle moves faster than the square.
            What happens after the blue square reaches the edge of the screen? It turns around and moves back.
            The camera pans to the left, showing a person walking along a street with cars and trees.
            A man opens the door, walks into the room and sits down at a wooden table near the window.
            A woman is cooking food in the kitchen; she cuts vegetables and puts them into a large pot.
            Children are playing football on a green field while their parents watch from the side.
            The players run, kick the ball and celebrate when their team scores a goal in the second half.
            A dog runs after a ball in the park and brings it back to its owner.
            The video is a news report about the weather: heavy rain, strong wind and cold temperatures.
            The speaker explains how the machine works, step by step, using a simple diagram on the board.
            The scene changes from a busy city at night to a quiet beach in the morning.
            Colours: red, green, blue, yellow, orange, purple, pink, brown, black, white, grey, gold and silver.
            Shapes: square, circle, triangle, rectangle, star, diamond, line, dot, cube, sphere and cone.
            Motion: moves, moving, moved, rotates, rotating, spins, bounces, falls, rises, slides, jumps, stops.
            Directions: left, right, up, down, forward, backward, clockwise, counterclockwise, toward, away.
            Time: first, second, third, then, next, before, after, finally, at the beginning, at the end.
            Numbers: 0 1 2 3 4 5 6 7 8 9 10 12 16 24 32 64 100 196 384 1000 2024.
            Frame 1, frame 2, frame 3 and frame 4 show the same object in different positions.
            The object is in the top left corner, then in the centre, then in the bottom right corner.
            Select the best answer to the following multiple-choice question based on the video.
            Select the best answer to the following multiple-choice question based on the video and the subtitles.
            Respond with only the letter (A, B, C, or D) of the correct option.
            Answer with the option's letter from the given choices directly.
            Answer the question with A, B, C, or D.
            The best answer is: A
            The best answer is: B
            The best answer is: C
            The best answer is: D
            A. The square moves to the right.
            B. The circle changes colour.
            C. The triangle does not move.
            D. All of the objects stop.
            A. red
            B. green
            C. blue
            D. yellow
            This video's subtitles are listed below:
            No subtitles available
            You are a helpful assistant.
            user
            assistant
            system
            Describe the video in detail. What is happening in this video?
            Please describe the main events of the video in order.
            The video begins with a title screen and ends with a short summary of the main points.
            Summarize the video in one sentence. The video is about a red square and a blue circle.
            Why does the ball stop moving? The ball stops because it hits the wall.
            Where is the green triangle when the video ends? It is in the middle of the frame.
            Which object is the largest? The purple rectangle is the largest object.
            Counting problem: how many times does the circle bounce? It bounces three times.
            Temporal reasoning, spatial reasoning, action recognition, object recognition, information synopsis.
            Knowledge, film and television, sports competition, artistic performance, life record, multilingual.
            It's a short clip. They're moving quickly. We've seen this before. I'm sure it'll stop. He'd agree.
            The answer is A. The correct answer is B. The best option is C. Best answer: D.
            """;
}
