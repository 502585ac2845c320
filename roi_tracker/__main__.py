from roi_tracker.cli import main

main()
