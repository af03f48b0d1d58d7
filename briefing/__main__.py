from briefing.cli import run

if __name__ == "__main__":  # guarded: worker processes import this module too
    run()
